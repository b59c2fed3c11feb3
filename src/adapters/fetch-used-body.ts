/** Names the fix when the `Request` body was read (or is being read) before the handler got it. */
export const USED_BODY_MESSAGE =
  'smartsupp-hook: the Request body was already read (request.bodyUsed) or is locked by a reader, so the handler cannot read it. Hand the handler the unread Request: call it before request.json() / request.text() / request.formData(), or pass request.clone().'
