//go:build !race

package eku_test

const raceEnabled = false
