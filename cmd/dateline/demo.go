package main

import (
	"context"
	"fmt"
	"io"
)

// seedDemo loads the demo newsroom into an empty database.
func (a *app) seedDemo(ctx context.Context, stdout io.Writer) error {
	fmt.Fprintln(stdout, "Demo: the demo newsroom is not available in this build.")
	return nil
}
