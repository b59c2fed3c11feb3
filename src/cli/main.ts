#!/usr/bin/env node
// The `smartsupp-hook` command (package.json `bin`): check, show, send and listen.
import { runCli } from './run-cli.js'

runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
