/** A value `JSON.parse` can return. */
export type JsonValue = string | number | boolean | null | JsonArray | JsonObject
/** A JSON array, read-only. */
export type JsonArray = readonly JsonValue[]
/** A JSON object, read-only. */
export type JsonObject = { readonly [key: string]: JsonValue }
