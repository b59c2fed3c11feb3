/** Says why the raw body is not exact when Nest's body parser ran, and names the fix. */
export const PARSED_BODY_NOTE_NEST =
  "Nest's body parser already parsed the body, so the exact bytes are gone and rawBody is JSON.stringify of the parsed value. Create the app with NestFactory.create(AppModule, { rawBody: true }) to keep them."

/** Says why the raw body is rebuilt when a text parser ran, and names the fix. */
export const TEXT_BODY_NOTE_NEST =
  'A text body parser already decoded the body, so rawBody is that text re-encoded as UTF-8. Create the app with NestFactory.create(AppModule, { rawBody: true }), or use @SmartsuppConversation(), to keep the exact bytes.'

/** Names the fix when `@Body()` is `undefined`: Nest parsed nothing (e.g. a `text/plain` POST). */
export const UNDEFINED_BODY_MESSAGE_NEST =
  'smartsupp-hook: @Body() is undefined because Nest did not parse this request (e.g. a text/plain body), so SmartsuppConversationPipe has nothing to decode. Use @SmartsuppConversation() instead of @Body(new SmartsuppConversationPipe()): it reads the body itself.'

/** Names the fix when Nest's form parser turned the JSON into form fields. */
export const FORM_BODY_MESSAGE_NEST =
  "smartsupp-hook: Nest's urlencoded parser parsed this body because of its form Content-Type, so the JSON it carried is lost and cannot be kept. Create the app with NestFactory.create(AppModule, { rawBody: true }) to keep the exact bytes."

/** Names the fix when middleware read the body stream and kept nothing. */
export const CONSUMED_BODY_MESSAGE_NEST =
  'smartsupp-hook: the request body was already read by middleware, and neither req.body nor req.rawBody holds it. Create the app with NestFactory.create(AppModule, { rawBody: true }), or apply that middleware to other routes only.'
