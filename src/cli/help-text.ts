/** The help of each command, printed by `--help`; `main` is the overview. */
export const HELP = {
  main: `smartsupp-hook: check, show, send and capture Smartsupp POST hook payloads

Usage: smartsupp-hook <command> [options]

Commands:
  check <file|dir|->...        decode payloads and list their issues and warnings
  show <file|->                a summary and the transcript of one conversation
  send <url> [file|-]          POST a payload to a receiver, like Smartsupp does
  listen [--port N] [--out D]  a local receiver that prints and saves what it gets

Options:
  -h, --help     help (also after any command: smartsupp-hook check --help)
  -v, --version  the version

Exit codes: 0 success, 1 invalid payload or refused request, 2 usage or I/O error.
Colour only on a terminal, never when NO_COLOR is set.`,

  check: `Usage: smartsupp-hook check [--strict] <file|dir|->...

Decodes each payload and prints its issues (with their JSON paths) and warnings.
A directory stands for the *.json files in it (not recursive); - reads stdin.

Options:
  --strict    fail on any deviation from the current documented form
              (default: lenient, as a production receiver decodes)
  -h, --help  this help

Exit codes: 0 all valid, 1 some invalid, 2 usage or I/O error.`,

  show: `Usage: smartsupp-hook show [options] <file|->

Prints a summary of one conversation and its transcript.

Options:
  --format <text|markdown|json>  output format (default text)
  --tz <zone>                    IANA time zone for the times, e.g. Europe/Prague (default UTC)
  --strict                       decode strictly (default lenient)
  -h, --help                     this help

Exit codes: 0 shown, 1 not a valid conversation, 2 usage or I/O error.`,

  send: `Usage: smartsupp-hook send <url> [file|-] [options]

POSTs a payload to a receiver the way Smartsupp does (JSON body) and prints the
response status and body. The file's bytes are sent unchanged. Without a file or
--fixture, sends the documented example.

Options:
  --fixture <name>        send a built-in fixture: documented-example, missed,
                          offline, triggered-only, transfer, rated, unrated,
                          legacy, future-fields, large
  -H, --header <k: v>     an extra request header (repeatable)
  -h, --help              this help

Exit codes: 0 a 2xx answer, 1 any other answer, 2 usage, I/O or connection error.`,

  listen: `Usage: smartsupp-hook listen [options]

A local receiver: prints one line per POSTed conversation and, with --out, writes
each raw body unchanged to a file. Bodies that do not decode are saved too, with
"undecodable" in the file name. Answers 200 to every POST it could read.

Options:
  --port <n>     port to listen on (default 8787; 0 picks a free one)
  --host <addr>  address to listen on (default 127.0.0.1)
  --out <dir>    save each body in this directory (created if needed)
  --count <n>    stop after n requests
  -h, --help     this help

Stops on Ctrl+C (or after --count requests) with exit code 0.`,
} as const

/** A command that has a help text. */
export type CommandName = Exclude<keyof typeof HELP, 'main'>
