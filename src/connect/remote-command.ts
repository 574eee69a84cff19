import type { MessageInitShape } from "@bufbuild/protobuf";
import { ExecutionError } from "../common/errors.ts";
import type { ExecutePlanResponse } from "./gen/spark/connect/base_pb.ts";
import type { CommandSchema } from "./gen/spark/connect/commands_pb.ts";
import { forQuery, isRemoteError } from "./remote-errors.ts";
import type { SparkConnectClient } from "./spark-connect-client.ts";

type CommandType = NonNullable<MessageInitShape<typeof CommandSchema>["commandType"]>;
type ResponseType = ExecutePlanResponse["responseType"];
type ResultOf<C extends NonNullable<ResponseType["case"]>> = Extract<ResponseType, { case: C }> extends { value: infer V } ? V : never;

/** The query a command is about: a failed query's StreamingQueryException names it. */
export interface QueryInstance {
  readonly id: string;
  readonly runId: string;
}

/**
 * Runs one Command and returns its result of the expected kind (`streamingQueryCommandResult`,
 * …). Server errors keep Spark's error class, SQL state and parameters (the client completes
 * them with FetchErrorDetails) and name the query they concern.
 */
export async function executeCommand<C extends NonNullable<ResponseType["case"]>>(
  client: SparkConnectClient, commandType: CommandType, expected: C, query?: QueryInstance,
): Promise<ResultOf<C> | null> {
  const result = (await runCommand(client, commandType, query)).find((r) => r.case === expected);
  return result === undefined ? null : (result.value as unknown as ResultOf<C>);
}

/** Runs one Command and returns every result it sent (none for some: removing the listener bus). */
export async function runCommand(client: SparkConnectClient, commandType: CommandType, query?: QueryInstance): Promise<readonly ResponseType[]> {
  try {
    return (await client.execute({ opType: { case: "command", value: { commandType } } })).results;
  } catch (error) {
    // The client already completed the error with FetchErrorDetails; it is remapped for the query it concerns.
    throw query !== undefined && isRemoteError(error) ? forQuery(error, query) : error;
  }
}

/** Like executeCommand, for commands whose answer Spark always sends. */
export async function executeCommandFor<C extends NonNullable<ResponseType["case"]>>(
  client: SparkConnectClient, commandType: CommandType, expected: C, query?: QueryInstance,
): Promise<ResultOf<C>> {
  const result = await executeCommand(client, commandType, expected, query);
  if (result === null) throw new ExecutionError(`the Spark Connect server at ${client.channel.target} answered the ${commandType.case} without a ${expected}`);
  return result;
}

