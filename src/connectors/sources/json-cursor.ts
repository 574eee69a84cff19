// The JSON cursor lives in columnar/ (expressions parse JSON text with it too); the
// decoders here import it by this path.
export { EXACT_POWERS_OF_TEN, JsonCursor, JsonSyntaxError, utf8Text } from "../../columnar/json-cursor.ts";
