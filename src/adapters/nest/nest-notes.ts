/** Says why the raw body is not exact when Nest's body parser ran, and names the fix. */
export const PARSED_BODY_NOTE_NEST =
  "Nest's body parser already parsed the body, so the exact bytes are gone and rawBody is JSON.stringify of the parsed value. Create the app with NestFactory.create(AppModule, { rawBody: true }) to keep them."
