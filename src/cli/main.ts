#!/usr/bin/env node
// The `smartsupp-hook` command (package.json `bin`): check, show, send, listen, schema, store, export, replay and inspect.
import { exitOnBrokenPipe } from './exit-on-broken-pipe.js'
import { runCli } from './run-cli.js'

exitOnBrokenPipe(process.stdout)
exitOnBrokenPipe(process.stderr)
runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
