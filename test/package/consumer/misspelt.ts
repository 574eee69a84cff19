// Must not compile: "acton" is not a column of Log.
import { Session, types } from "rivulet";

const Log = types.struct({ time: types.timestamp(), action: types.string() });
const logs = Session.builder().getOrCreate().readStream.schema(Log).json("logs/");
export const actions = logs.select("acton");
