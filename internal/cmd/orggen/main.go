// Command orggen writes a generated organisation's inputs: the demo fixture
// (-scenario demo) or the benchmark's synthetic org (-scenario synthetic).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/driftgate/driftgate/internal/orggen"
)

func main() {
	scenario := flag.String("scenario", "demo", "demo or synthetic")
	tenants := flag.Int("tenants", 500, "tenants in the synthetic org")
	out := flag.String("out", "", "output directory")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "orggen: -out is required")
		os.Exit(2)
	}
	var org *orggen.Org
	switch *scenario {
	case "demo":
		org = orggen.Demo()
	case "synthetic":
		org = orggen.Synthetic(*tenants)
	default:
		fmt.Fprintf(os.Stderr, "orggen: unknown scenario %q\n", *scenario)
		os.Exit(2)
	}
	files, err := org.Generate()
	if err == nil {
		err = files.Write(*out)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "orggen: %v\n", err)
		os.Exit(1)
	}
}
