package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// command is one subcommand's flag set with its help: a synopsis, what it
// does, and examples; flags are listed as --flag VALUE.
type command struct {
	fs       *flag.FlagSet
	synopsis string
	about    string
	examples []string
}

func newCommand(name, synopsis, about string, examples ...string) *command {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parse errors are printed here, in one line
	return &command{fs: fs, synopsis: synopsis, about: about, examples: examples}
}

// help writes the command's help.
func (c *command) help(w io.Writer) {
	fmt.Fprintf(w, "usage: %s\n\n%s\n", c.synopsis, strings.TrimSpace(c.about))
	var flags []*flag.Flag
	c.fs.VisitAll(func(f *flag.Flag) { flags = append(flags, f) })
	if len(flags) > 0 {
		fmt.Fprint(w, "\nflags:\n")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, f := range flags {
			value, usage := flag.UnquoteUsage(f)
			name := "--" + f.Name
			if value != "" {
				name += " " + strings.ToUpper(strings.ReplaceAll(value, " ", "_"))
			}
			fmt.Fprintf(tw, "  %s\t%s\n", name, usage)
		}
		tw.Flush()
	}
	if len(c.examples) > 0 {
		fmt.Fprint(w, "\nexamples:\n")
		for _, e := range c.examples {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
}

// parse parses args. It returns the exit code to stop with and false when
// the command should not run: 0 after --help (printed to stdout), 2 after a
// bad flag (one line and where to look, on stderr).
func (c *command) parse(args []string, stdout, stderr io.Writer) (int, bool) {
	err := c.fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		c.help(stdout)
		return 0, false
	case err != nil:
		fmt.Fprintf(stderr, "driftgate %s: %s (see driftgate %s --help)\n", c.fs.Name(), oneLine(strings.Replace(err.Error(), " -", " --", 1)), c.fs.Name())
		return 2, false
	}
	return 0, true
}
