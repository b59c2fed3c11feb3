/** The help of each command, printed by `--help`; `main` is the overview. */
export const HELP = {
  main: `smartsupp-hook: check, show, send, capture and replay Smartsupp deliveries: POST
hook conversations and signed webhook events; inspect and export the event store

Usage: smartsupp-hook <command> [options]

Commands:
  check <file|dir|->...        decode payloads and list their issues and warnings
  show <file|->                a summary of one conversation (and its transcript)
                               or of one webhook event
  send <url> [file|-]          POST a payload to a receiver, like Smartsupp does
                               (--secret signs it as a webhook)
  listen [--port N] [--out D]  a local receiver that prints and saves what it gets
                               (--secret verifies webhook signatures)
  schema [--legacy|--webhook|--openapi]
                               print a JSON Schema (draft 2020-12) or the webhooks' OpenAPI
  store list|show|poisoned --store <dir|url>
                               what a receiver's event store holds: conversations
                               and their export state, one conversation's events
                               and transcript, undecodable (poisoned) bodies
  export --pending --store <dir|url> --handler <module>|--out <dir>
                               export the finished conversations that are due
                               (never exported, retried, or with events since
                               their last export), once per revision
  export --retry <id>|--all-failed --store <dir|url>
                               re-open conversations whose export failed
  replay <dir> --url <url>     POST every captured body in a directory (listen
                               --out) to a receiver again, signed with --secret
  inspect [--secret S] [--port N]
                               a local receiver with a page: every delivery live
                               with its verdicts, conversations and their export

Options:
  -h, --help     help (also after any command: smartsupp-hook check --help)
  -v, --version  the version

Webhook events and POST hook conversations are told apart by their shape: a JSON
object with an "event" or "data" key and neither "accountId" nor "messages" is a
webhook event; --as conversation|webhook (check, show) says which instead.

Exit codes: 0 success, 1 invalid payload or refused request, 2 usage or I/O error.
Colour only on a terminal, and never when NO_COLOR is set to a non-empty value.`,

  check: `Usage: smartsupp-hook check [--strict] [--as KIND] [--max-bytes N] <file|dir|->...

Decodes each payload, a POST hook conversation or a webhook event, and prints its issues (with their JSON paths) and warnings,
then the total. A directory stands for the *.json files in it (not recursive);
- reads stdin (once). Each file is independent: one that cannot be read, is not
a regular file (a named pipe, a device) or is over the size limit gets its own
line, counts as unreadable, and the others are still checked.

Options:
  --strict         fail on any deviation from the current documented form
                   (default: lenient, as a production receiver decodes)
  --as <kind>      auto (default: a JSON object with an "event" or "data" key
                   and neither "accountId" nor "messages" is a webhook event,
                   anything else a conversation), conversation or webhook
  --max-bytes <n>  skip files larger than this, as unreadable: bytes, or
                   KiB, MiB, GiB (default 64MiB)
  -h, --help       this help

Exit codes: 0 all valid, 1 some invalid, 2 usage or I/O error (a file unreadable).`,

  show: `Usage: smartsupp-hook show [options] <file|->

Prints a summary of one conversation and its transcript, or of one webhook
event: its name, time, account and app, conversation (and status), contact,
message author and text, response time, rating, close type or agent, as far
as the event carries them, and its de-duplication key (webhookEventKey).

Options:
  --format <text|markdown|json>  output format (default text)
  --tz <zone>                    IANA time zone for the times, e.g. Europe/Prague (default UTC)
  --strict                       decode strictly (default lenient)
  --as <kind>                    auto (default), conversation or webhook: what
                                 to read the file as (see smartsupp-hook --help)
  -h, --help                     this help

Reads at most 64 MiB; a larger file is an I/O error.

Exit codes: 0 shown, 1 not a valid conversation or event, 2 usage or I/O error.`,

  send: `Usage: smartsupp-hook send <url> [file|-] [options]

POSTs a payload to a receiver the way Smartsupp does (JSON body) and prints the
response status and body (control characters escaped, at most the first 64 KiB).
The file's bytes are sent unchanged. Without a file or --fixture, sends the
documented example. Redirects are not followed: a 3xx is printed with its
location and counts as not 2xx. With --secret the body is signed as Smartsupp
signs webhooks: X-Smartsupp-Hmac is the hex HMAC-SHA256 of the exact bytes
sent (which stay unchanged), keyed with the secret.

Options:
  --fixture <name>        send a built-in fixture: documented-example, missed,
                          offline, triggered-only, transfer, rated, unrated,
                          legacy, future-fields, post2020-variables, large;
                          or a webhook event: webhook:<name>, the name of a file
                          in examples/payloads/webhooks without .json, e.g.
                          webhook:conversation.agent_replied, webhook:unknown
  --secret <s>            sign the body with the webhook app's secret
                          (visible to other users in the process list: on a
                          shared machine use a throwaway secret)
  -H, --header <k: v>     an extra request header (repeatable)
  --timeout <seconds>     give up when the whole answer has not come by then
                          (default 30)
  -h, --help              this help

Exit codes: 0 a 2xx answer, 1 any other answer, 2 usage, I/O, connection error
or timeout.`,

  listen: `Usage: smartsupp-hook listen [options]

A local receiver: prints one line per POSTed body and, with --out, streams each
raw body unchanged to a file as it arrives; the file name says what it held:
conversation-<id>, webhook-<event>-<conversation or contact id>, undecodable
or aborted (the client went away mid-body: the bytes that came are kept).
Answers JSON: 200 { received, decoded, saved } with the file's name relative to
--out; 401 without the --token (not read); 413 to a body over
--max-bytes (read no further, connection closed, nothing kept); 503 while
--max-memory is held by other uploads; 507 once --max-files or --max-total
is reached; 405 to other methods.

With --secret, each body is verified (X-Smartsupp-Hmac over its exact bytes)
and the line says UNSIGNED or BAD SIGNATURE when it fails. listen stays a
capture tool: such a body is still read, decoded and saved, since it is what
you want to look at while setting up the secret; but it is answered 401, as a
real receiver answers, so the sender sees the failure (Smartsupp re-delivers
it later). Each file's name records the verdict after the arrival stamp:
<time>-<n>-verified-…, -unsigned-… or -bad-signature-…; replay --secret
skips the refused ones, and signs those with no verdict (captured without
--secret) with a line saying they are unverified. The answers then carry
"signature": valid, missing, malformed, mismatch or not_raw_body. Without
--secret nothing is verified, and the line of a signed body says so.

With --out a body goes to its file as it arrives, at the disk's pace, and is
read back to be verified and decoded, one body at a time. Without --out it
is held in memory from its arrival until its answer, and all uploads at once
may hold at most --max-memory: one that would pass it is answered 503
(Retry-After: 1, connection closed, nothing kept).

Options:
  --port <n>       port to listen on (default 8787; 0 picks a free one)
  --host <addr>    address to listen on (default 127.0.0.1)
  --out <dir>      save each body in this directory (created if needed)
  --token <t>      accept only URLs carrying this secret, as ?token=<t> or as
                   the last path segment (as Smartsupp's hook URL would)
  --secret <s>     the webhook app's secret: verify every body's signature,
                   answer 401 to an unsigned or wrongly signed one (saved
                   all the same). POST hook conversations are never signed
  --max-bytes <n>  the largest body accepted and saved: bytes, or KiB, MiB,
                   GiB (default 64MiB)
  --max-files <n>  save at most n bodies (default 1000)
  --max-total <n>  save at most this many bytes in all (default 1GiB)
  --max-memory <n> without --out: hold at most this many bytes of bodies in
                   memory at once, across concurrent uploads (default
                   256MiB, or --max-bytes when larger)
  --count <n>      stop after n requests (every request counts: any method,
                   answered or cut off)
  -h, --help       this help

Stops on Ctrl+C or SIGTERM (or after --count requests) with exit code 0.`,

  schema: `Usage: smartsupp-hook schema [--legacy | --webhook | --openapi]

Prints the JSON Schema (draft 2020-12) of the POST hook body, derived from the
codecs: the current documented form, closed (additionalProperties: false) like
strict decoding. The same file ships as smartsupp-hook/schemas/post-hook.json.

Options:
  --legacy    the pre-November-2018 form instead (schemas/post-hook-legacy.json)
  --webhook   a webhook event instead (schemas/webhook-event.json)
  --openapi   the webhooks' OpenAPI 3.1 document (schemas/openapi.json)
  -h, --help  this help

Exit codes: 0 printed, 2 usage error.`,

  store: `Usage: smartsupp-hook store <list|show|poisoned> --store <dir|url> [options]

Reads the event store a webhook receiver writes to (its store option).
Each command has its own help: smartsupp-hook store list --help.

  store list [--state S] [--limit N] [--json]
      the conversations, most recently received first: their export state
      (open, pending, claimed, exported, failed), the revision last exported,
      event count, last event time, claims, and a note (why it failed and
      how to retry it, the close, the last export, events since it)
  store show <conversationId> [--json]
      one conversation: its state, its events (time, name, key, size,
      poisoned or not), and the conversation assembled from them: summary
      and transcript, as onConversationFinished would get it
  store poisoned [--out <dir>] [--limit N] [--json]
      authentic bodies that could not be decoded, with the reason; --out
      writes each body's exact bytes to <dir>/<received>-poisoned-<hash>.json
      (replay them with smartsupp-hook replay once they decode)

Options:
  --store <where>          a directory: the embedded store's dataDir
                           (pgliteEventStore, needs @electric-sql/pglite);
                           a postgres:// or postgresql:// URL: a PostgreSQL
                           server (postgresEventStore, needs pg). Default: the
                           SMARTSUPP_STORE environment variable
  --table-prefix <p>       the receiver's tablePrefix (default smartsupp_)
  --force                  ignored: no longer needed (see below)
  --state <s>              list: only open, pending, claimed, exported or
                           failed
  --limit <n>              list, poisoned: at most n (default 100)
  --json                   print JSON instead of text
  -o, --out <dir>          poisoned: write each body to a file in dir
  -h, --help               this help

An embedded store serves one process at a time: while a live process (a
receiver) holds the directory, it is refused, naming that process; stop it
first (a PostgreSQL store can be read any time). A directory whose process
stopped or crashed opens as it is.

Exit codes: 0 shown, 1 no such conversation (show) or it cannot be assembled,
2 usage error or the store cannot be opened.`,

  export: `Usage: smartsupp-hook export --pending --store <dir|url> (--handler <module> | --out <dir>) [options]
       smartsupp-hook export --retry <conversationId>…|--all-failed --store <dir|url> [--handler <module> | --out <dir>]

--pending exports every conversation that is due, as the receiver's
onConversationFinished would: closed and quiet for --settle-ms, never closed
but quiet for --quiet-ms, an earlier try that failed and whose retry time
passed, or an exported conversation that received events since (exported
again, whole, as its next revision). Each is claimed in the store first, so
running receivers and other export runs never export the same conversation
at the same time; up to 10 are exported at once, each with its own timeout
(30 s). It is marked exported once the handler resolves. A failure is
printed, kept and retried later (by a receiver or the next export run);
after 20 failed tries in a row a conversation is failed: not retried until
--retry.

--retry re-opens failed conversations (the ids store list shows, or
--all-failed): with --handler or --out it exports them now, else running
receivers export them on their next sweep.

  --handler <module>  a module (.mjs, .js, or .ts) whose default export,
                      or export named onConversationFinished, is called
                      (conversation, context) for each; resolve when it is
                      exported, throw to have it retried. context.revision
                      says which export of the conversation it is: upsert
                      on the conversation id. An exported close() is called
                      at the end (end your pools there). A .ts module
                      loads where Node runs TypeScript (or under node
                      --import tsx), else through tsx when it is installed
                      (npm i -D tsx)
  --out <dir>         instead of a handler: write <id>.json (the assembled
                      conversation, its events with their raw values) and
                      <id>.txt (its transcript, times in UTC)

Options:
  --pending            export what is due
  --retry              re-open the failed conversations given as arguments
  --all-failed         with --retry: every failed conversation
  --store <where>      as for smartsupp-hook store: a directory (PGlite) or a
                       postgres:// URL; default SMARTSUPP_STORE
  --table-prefix <p>   the receiver's tablePrefix (default smartsupp_)
  --force              see smartsupp-hook store --help
  --quiet-ms <n>       a never-closed conversation is finished after n ms
                       without events (default 1800000, 30 minutes); none:
                       export closed conversations only
  --settle-ms <n>      a closed conversation is exported once nothing came
                       for it for n ms (default 30000); 0: at once
  --lease-ms <n>       how long a claim holds unless renewed (it is renewed
                       while the handler runs; default 60000, 1 minute)
  --limit <n>          export at most n conversations (default: all due)
  -h, --help           this help

Exit codes: 0 none failed (or nothing was due), 1 some failed (kept and
retried later) or a --retry id is not failed, 2 usage error, the handler
cannot be loaded or the store fails.`,

  replay: `Usage: smartsupp-hook replay <dir> --url <url> [--secret S] [--token T] [options]

POSTs every file in a directory of captured bodies (what listen --out and
store poisoned --out write) to a receiver, one request per file, in
file-name order (listen's names start with the arrival time), each body's
bytes unchanged. Files listen was still receiving (-receiving.json) or
that the client cut off (-aborted.json) are skipped, as are dotfiles.

Each body is told apart by its shape (see smartsupp-hook --help): a webhook
event is signed with --secret (X-Smartsupp-Hmac, the hex HMAC-SHA256 of its
exact bytes), a POST hook conversation is sent to the URL with ?token=<T>.
--as webhook (or conversation) says which instead: a poisoned body that is
not even JSON would otherwise be taken for a conversation.

A capture listen --secret refused (its name says unsigned- or
bad-signature-) is not signed: nothing proves Smartsupp sent it, and signing
it would make a forged body pass the receiver's check. It is skipped with a
line saying why, unless --sign-refused. Captures listen verified (verified-)
and store poisoned --out's (a receiver verified them) are signed. Captures
with no verdict (listen without --secret) are signed too, each with a line
"signed unverified capture <name>": nothing proves Smartsupp sent them.
A file over --max-bytes, or one that cannot be read, is skipped too. Prints each file's answer status (and the start of a refusal's body),
or why it was skipped, then the total.

Options:
  --url <url>          the receiver (http: or https:)
  --secret <s>         the webhook app's secret: sign webhook events
  --token <t>          the POST hook's token, added as ?token= to the URL
                       of conversations
  --concurrency <n>    requests in flight at once (default 1: one by one,
                       in order; more may reach the receiver out of order)
  --timeout <seconds>  per request (default 30)
  --as <kind>          auto (default), webhook or conversation: how to send
                       every file
  --sign-refused       also sign the captures listen refused (unsigned- and
                       bad-signature-): only for bodies you know are
                       Smartsupp's, e.g. captured while --secret was wrong
  --max-bytes <n>      skip files larger than this: bytes, or KiB, MiB, GiB
                       (default 64MiB)
  -h, --help           this help

Exit codes: 0 every file answered 2xx, 1 some were not or were skipped, 2
usage or I/O error, or the receiver could not be reached (the remaining
files are not sent).`,

  inspect: `Usage: smartsupp-hook inspect [--secret S …] [--port N] [--token T] [--store <dir|url>] [--out DIR]

A local receiver for both formats with a page that shows what Smartsupp sent and
what became of it. It prints the page's address; open it in a browser.

  POST /webhooks/smartsupp   webhook events, verified with every --secret
  POST /hook                 POST hook conversations (?token= or /hook/<token>
                             when --token is given)

The page lists every delivery live (no reload), with the answer it got, its
signature verdict (signed, with which secret of a rotation; unsigned; forged
or wrong secret; not the raw body), its decode verdict (decoded, warnings, or
invalid at a path) and "re-delivery of #n" for the same event again
(webhookEventKey; idempotencyKey for the POST hook). One delivery shows its
headers (credentials redacted), the raw body, a JSON tree with each issue at
its path, the decoded model, and replays it to a URL re-signed, copies it as
a signed curl command or downloads its bytes. Conversations show their events
on a timeline (late and repeated arrivals marked), the store's state (open,
pending with the settle countdown, exported) and the assembled conversation.

Authentic webhook events are kept in the event store, as a receiver with
store and onConversationFinished keeps them; forged, unsigned and undecodable
deliveries are shown but never enter it. Without --secret nothing is
verified and nothing is stored.

Options:
  --secret <s>         the webhook app's secret; repeat it while rotating
                       (visible in the process list: on a shared machine use
                       a throwaway secret)
  --port <n>           port (default 8788; 0 picks a free one)
  --host <addr>        address to listen on (default 127.0.0.1); anything
                       but loopback needs --token
  --token <t>          the page, its API and the POST hook URL need it
                       (open the printed address, which carries it)
  --store <where>      the event store: a directory (embedded PGlite), a
                       postgres:// URL, or memory. Default: an embedded store
                       in <out>/store, or in a temporary directory; in memory
                       when @electric-sql/pglite is not installed
  --table-prefix <p>   the store's tablePrefix (default smartsupp_)
  --export             with --store: export finished conversations here too
                       (to inspect's own onConversationFinished, which only
                       records them); without it, a store you give is left
                       to your receivers to export
  --out <dir>          keep deliveries there (deliveries.jsonl and bodies/,
                       named as listen --out names them), so a restarted
                       inspector shows them again; default: in memory
  --max-bytes <n>      the largest body accepted (default 64MiB)
  --max-files <n>      keep at most n bodies (default 1000)
  --max-total <n>      keep at most this many bytes in all (default 1GiB)
  --settle-ms <n>      export a closed conversation once nothing came for it
                       for n ms (default 30000)
  --quiet-ms <n|none>  a never-closed conversation is finished after n ms
                       without events (default 1800000)
  -h, --help           this help

Safe to leave running: loopback only (and only for requests addressed to
127.0.0.1 or localhost) unless --host comes with --token; actions that send
anything (replay, curl) need a header only the page sends; every text from a
body is shown as text. Stops on Ctrl+C or SIGTERM with exit code 0.`,
} as const

const STORE_OPTIONS_HELP = `  --store <where>          a directory: the embedded store's dataDir
                           (pgliteEventStore, needs @electric-sql/pglite);
                           a postgres:// or postgresql:// URL: a PostgreSQL
                           server (postgresEventStore, needs pg). Default: the
                           SMARTSUPP_STORE environment variable
  --table-prefix <p>       the receiver's tablePrefix (default smartsupp_)
  --force                  ignored: no longer needed (see smartsupp-hook
                           store --help)`

/** The help of each `store` command, printed by `store <command> --help`. */
export const STORE_HELP = {
  list: `Usage: smartsupp-hook store list --store <dir|url> [--state S] [--limit N] [--json]

The conversations in the store, most recently received first: their export
state (open, pending, claimed, exported, failed), the revision last exported,
event count, last event time, claims, and a note (why it failed and how to
retry it, the close, the last export, events since it).

Options:
${STORE_OPTIONS_HELP}
  --state <s>              only open, pending, claimed, exported or failed
  --limit <n>              at most n (default 100)
  --json                   print JSON instead of text
  -h, --help               this help

Exit codes: 0 shown, 2 usage error or the store cannot be opened.`,

  show: `Usage: smartsupp-hook store show <conversationId> --store <dir|url> [--json]

One conversation: its export state, its events (time, name, key, size,
poisoned or not), and the conversation assembled from them, summary and
transcript, as onConversationFinished would get it.

Options:
${STORE_OPTIONS_HELP}
  --json                   print JSON instead of text
  -h, --help               this help

Exit codes: 0 shown, 1 no such conversation or it cannot be assembled, 2
usage error or the store cannot be opened.`,

  poisoned: `Usage: smartsupp-hook store poisoned --store <dir|url> [--out <dir>] [--limit N] [--json]

Authentic bodies that could not be decoded (kept as poisoned events), with
the reason. --out writes each body's exact bytes to
<dir>/<received>-poisoned-<hash>.json; replay them with smartsupp-hook replay
once they decode.

Options:
${STORE_OPTIONS_HELP}
  -o, --out <dir>          write each body to a file in dir
  --limit <n>              at most n (default 100)
  --json                   print JSON instead of text
  -h, --help               this help

Exit codes: 0 shown, 2 usage error or the store cannot be opened.`,
} as const

/** A command that has a help text. */
export type CommandName = Exclude<keyof typeof HELP, 'main'>

/** A command with commands of its own (`store list`), and their names. */
export const SUBCOMMANDS: Readonly<Record<string, Readonly<Record<string, string>>>> = { store: STORE_HELP }

/**
 * The help for `command` and, when it has commands of its own, for `sub` among them: the
 * command's own help when `sub` is absent or not one of them.
 */
export function helpOf(command: CommandName, sub?: string): string {
  const subs = SUBCOMMANDS[command]
  if (sub !== undefined && subs !== undefined && Object.hasOwn(subs, sub)) return subs[sub] as string
  return HELP[command]
}
