// The JSON cursor lives in columnar/ (expressions parse JSON text with it too); the
// decoders here import it by this path, and the text of bytes from columnar/utf8-text.ts.
export { EXACT_POWERS_OF_TEN, JsonCursor, JsonSyntaxError } from "../../columnar/json-cursor.ts";
export { utf8Text } from "../../columnar/utf8-text.ts";
