/**
 * rivulet's public API. Names, signatures and semantics follow Apache Spark's Structured
 * Streaming (Scala API, camelCase), so Spark code and knowledge carry over.
 */
export { Session, SessionBuilder, type RemoteSession } from "./session/session.ts";
export type { SessionMode, Answer } from "./api/session-mode.ts";
export type { ConnectionString } from "./connect/connection-string.ts";
export { Session as SparkSession } from "./session/session.ts";
export type { SessionCatalog } from "./session/session-catalog.ts";
export { Catalog, type CatalogContext, type TableDefinition, type TableStatistics, type Table, type Column as CatalogColumn, type Database, type CatalogFunction, type CatalogMetadata } from "./session/catalog.ts";
export type { CreateTableArgs } from "./session/create-table-arguments.ts";
export type { SqlScriptResult } from "./sql/sql-script.ts";
export type { SqlArgs } from "./session/session-backend.ts";
export { SqlSyntaxError } from "./sql/sql-parse.ts";
export { StreamingQueryManager } from "./session/streaming-query-manager.ts";
export { Dataset, type DataFrame, type Row, type ColumnOrNames } from "./api/dataset.ts";
export { Column, type ColumnLike, type Operand } from "./api/column.ts";
// The row types a typed Dataset's methods compute (see README, Typed Datasets).
export type {
  ColumnName, ColumnArg, SelectArg, ValueAt, Projected, Aggregated, WithColumn, Renamed, Dropped, IsUntyped,
} from "./api/typed/typed-row.ts";
export type { SchemaLike, DataTypeLike } from "./api/typed/lambda-plans.ts";
export { GroupedData } from "./api/grouped-data.ts";
export { DataFrameNaFunctions, type FillValue, type NaFill, type NaDrop, type NaReplace, type NaBackend } from "./api/na-functions.ts";
export { DataFrameStatFunctions } from "./api/data-frame-stat-functions.ts";
export { DataFrameWriterV2 } from "./api/data-frame-writer-v2.ts";
export { Observation } from "./api/observation.ts";
export { Window, WindowSpec } from "./api/window.ts";
export { KeyValueGroupedDataset, type KeyValueGroupedDatasetWithoutKeyType } from "./api/typed/key-value-grouped-dataset.ts";
export { types, TypedStruct, TypedType, type Infer, type Simplify, type UntypedSchema, type FieldSpec } from "./types/schema-builder.ts";
export { GroupStateTimeout, type GroupState, type GroupsOutputMode, type GroupStateTimeoutKind, type GroupFunction } from "./state/group-state.ts";
export type { TimeWindow } from "./api/functions.ts";
export { DataFrameReader, DataStreamReader, SourceReader, type JdbcProperties } from "./api/data-stream-reader.ts";
export { DataStreamWriter } from "./api/data-stream-writer.ts";
export type { ForeachWriter, ForeachWriterLike } from "./api/foreach-writer.ts";
export { DataFrameWriter } from "./api/data-frame-writer.ts";
export { StreamingQuery } from "./api/streaming-query.ts";
export type { StartedQuery } from "./api/data-stream-writer.ts";
export type { RemoteStreamingQuery, RemoteStreamingQueryStatus, StreamingQueryHandle, Awaitable } from "./connect/remote-streaming-query.ts";
export type { RemoteStreamingQueryManager, StreamingQueryManagerHandle } from "./connect/remote-streaming-query-manager.ts";
export type { RemoteCatalog } from "./connect/remote-catalog.ts";
export { MemoryStream } from "./api/memory-stream.ts";
export { ManualClock, SystemClock, type Clock } from "./execution/clock.ts";
export * from "./api/functions.ts";
export * as functions from "./api/functions.ts";
export { StreamingQueryProgress, type SourceProgress, type SinkProgress, type StreamingQueryStatus } from "./execution/progress.ts";
export { StreamingQueryListener } from "./api/streaming-query-listener.ts";
export type { StreamingQueryListener as StreamingQueryListenerLike, QueryStartedEvent, QueryProgressEvent, QueryIdleEvent, QueryWaitingEvent, QueryTerminatedEvent } from "./execution/query-listener.ts";
export type { Trigger, TriggerSpec } from "./execution/trigger.ts";
export type { StateOperatorMetrics } from "./physical/exec-operator.ts";
export {
  StructType, StructField, ArrayType, MapType,
  StringType, BinaryType, BooleanType, IntegerType, LongType, DoubleType, TimestampType, DateType, NullType,
  ByteType, ShortType, FloatType, DecimalType,
  TimestampNTZType, CalendarIntervalType, DayTimeIntervalType, YearMonthIntervalType,
  type DataType, type AtomicType, type DayTimeField, type YearMonthField,
} from "./types/data-types.ts";
export { Decimal } from "./columnar/decimal.ts";
export { parseSchema, parseDataType, type DdlOptions } from "./types/ddl.ts";
export { RuntimeConfig, ConfKeys } from "./common/config.ts";
export {
  RivuletError, ParseError, AnalysisError, AnalysisException, ExecutionError, StateError, ConnectorError,
  PermanentConnectorError, InternalError, StreamingQueryException, ConcurrentQueryError, type SparkErrorFields,
} from "./common/errors.ts";
export type { OutputMode, Sink, SinkFactory, SinkContext, SinkStatusListener, SinkWaiting, ResultKey } from "./connectors/sink.ts";
export type {
  Source, SourceProvider, SourceContext, Offset, ReadRequest, SourcePredicate, SourceComparison, SourceLiteral, ReadLimit,
} from "./connectors/source.ts";
export { parseAccessLog, type AccessLogFields } from "./expr/functions/access-log.ts";
export { Agent as FlumeAgent } from "./flume/agent/agent.ts";
export type { FlumeEvent } from "./flume/protocol/flume-protocols.ts";
// The DStream API (Spark Streaming), on the same clock, checkpoint logs and state stores.
export { StreamingContext, type StreamingContextOptions, type StopOptions, type StreamingContextState } from "./dstream/streaming-context.ts";
export { DStream, type MapWithStateDStream, type ReduceByKeyAndWindowOptions, type UpdateStateOptions } from "./dstream/dstream.ts";
export { RDD, RDD as Batch } from "./dstream/rdd.ts";
export { Receiver } from "./dstream/receiver.ts";
export { StateSpec, type State, type MappingFunction } from "./dstream/state-spec.ts";
export type { ClockParticipant } from "./execution/clock.ts";
export { FlumeUtils, type FlumeStreamOptions, type FlumePollingOptions } from "./flume/dstream/flume-utils.ts";
export type { SinkAddress } from "./flume/source/flume-polling-source.ts";
export type { UpdateStateFn } from "./dstream/ops/update-state-op.ts";
export type { QueueElement } from "./dstream/inputs/queue-input.ts";
export type { UiServer } from "./ui/ui-server.ts";
export type { SparkFlumeEvent } from "./flume/dstream/flume-receivers.ts";
