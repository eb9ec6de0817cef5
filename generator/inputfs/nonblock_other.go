//go:build !unix

package inputfs

// nonBlock is zero where the system has no FIFOs that block on open.
const nonBlock = 0
