import { identifierClauseParts } from "./identifier-clause.ts";
import { noParameters, type SqlParameters } from "./sql-parameters.ts";
import type { CstNode, IToken } from "chevrotain";
import { explainString } from "../api/explain.ts";
import type { DataFrame } from "../api/dataset.ts";
import { LocalDataset } from "../api/local/local-dataset.ts";
import type { StreamingQuery } from "../api/streaming-query.ts";
import { AnalysisError } from "../common/errors.ts";
import { StructType, type DataType, type StructField } from "../types/data-types.ts";
import type { Session } from "../session/session.ts";
import { has, node, nodes, sourceText, token, type Children } from "./cst.ts";
import { describeFunction, showFunctions } from "./function-statements.ts";
import { insertInto } from "./insert-into.ts";
import { describeRows } from "./describe-table.ts";
import { warehouseDir } from "./table-location.ts";
import { cacheTable, uncacheTable } from "./cache-statements.ts";
import { placeByColumns } from "./insert-column-list.ts";
import { unquoteString } from "./literals.ts";
import { QueryBuilder } from "./query-builder.ts";
import { setTimeZoneValue } from "./set-time-zone.ts";
import { createTable, SOURCE_FORMATS } from "./create-table.ts";
import { partitionedByColumns, partitionSpecOf, withoutStaticPartitions, withStaticPartitions, type PartitionSpec } from "./partitioned-table.ts";
import { showPartitions } from "./show-partitions.ts";
import type { TableDefinition } from "../session/catalog.ts";
import { ConfKeys } from "../common/config.ts";
import { catalogRelations, insertTarget, isFileSourceTable, tableNotFound } from "./session-relations.ts";
import * as build from "../plan/plan-builder.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { readTable } from "../session/session-catalog.ts";
import { createdTableName, temporaryViewName } from "../session/table-name.ts";
import { ParseErrorAt } from "./parse-error-at.ts";
import { databaseNames, requireDefaultSchema, useNamespace } from "./namespace-statements.ts";
import { shortFormatName } from "../connectors/format-names.ts";
import { insertableRelation } from "../session/insertable-relations.ts";
import { showTables, showViews, type ListingFilter } from "./relation-listing.ts";
import { truncateTable } from "./table-maintenance.ts";
import { columnComments, runTableStatement, tableProperties, type StatementTools } from "./table-statements.ts";
import { setVerboseRows } from "./set-verbose.ts";
import { optionItems } from "./option-items.ts";

/** What one statement gave: a DataFrame, maybe a started streaming query, or work still running (batch INSERT). */
export type StatementResult =
  | { readonly kind: "dataframe"; readonly df: DataFrame }
  | { readonly kind: "streaming"; readonly df: DataFrame; readonly query: StreamingQuery }
  | { readonly kind: "pending"; readonly run: () => Promise<DataFrame> };

/**
 * Runs one parsed statement against a session, as Spark's `spark.sql` does: queries
 * return their DataFrame; DDL and SET return small result DataFrames; `INSERT INTO`
 * starts a streaming query (or a batch write). Statements run in order, so a statement
 * sees what the ones before it created.
 */
export class StatementRunner {
  readonly #session: Session;
  readonly #text: string;
  readonly #queries: QueryBuilder;

  constructor(session: Session, text: string, params: SqlParameters = noParameters(text)) {
    this.#session = session;
    this.#text = text;
    this.#queries = new QueryBuilder(text, catalogRelations(session.catalog, (key) => session.conf.get(key)), params);
  }

  run(statement: CstNode): StatementResult {
    const [kind, children] = Object.entries(statement.children)[0]!;
    const ctx = (children[0] as CstNode).children;
    switch (kind) {
      case "query": return this.#frame(new LocalDataset(this.#session, this.#queries.build(children[0] as CstNode)));
      case "createStatement": return this.#create(ctx);
      case "insertStatement": return this.#insert(ctx);
      case "setStatement": return this.#set(ctx);
      case "explainStatement": return this.#explain(ctx);
      case "showTablesStatement": return this.#rows("namespace STRING, tableName STRING, isTemporary BOOLEAN", showTables(this.#session.catalog, this.#listingFilter(ctx)));
      case "showViewsStatement": return this.#rows("namespace STRING, viewName STRING, isTemporary BOOLEAN", showViews(this.#session.catalog, this.#listingFilter(ctx)));
      case "resetStatement": {
        const key = node(ctx, "qualifiedName");
        this.#session.conf.reset(key === undefined ? undefined : this.#name(key));
        return this.#empty();
      }
      case "refreshTableStatement":
        this.#session.catalog.refreshTable(this.#tableName(ctx));
        return this.#empty();
      case "truncateStatement": {
        const name = this.#tableName(ctx);
        const spec = node(ctx, "partitionSpec");
        const table = spec === undefined ? null : this.#session.catalog.tableDefinition(name);
        return { kind: "pending", run: async () => {
          // A spec on a table without partitions is truncateTable's to refuse (Spark's error), not a column to resolve.
          const partitioned = table !== null && (table.partitionColumns ?? []).length > 0;
          await truncateTable(this.#session, name, spec === undefined ? null : partitioned ? this.#partitionSpec(spec, table) : new Map());
          return this.#session.createDataFrame([], new StructType([]));
        } };
      }
      case "describeStatement": return this.#describe(ctx);
      case "useStatement": return this.#use(ctx);
      case "showDatabasesStatement": return this.#showDatabases(ctx);
      case "showColumnsStatement": return this.#showColumns(ctx);
      case "showPartitionsStatement": return this.#showPartitions(ctx);
      case "showFunctionsStatement": {
        const pattern = token(ctx, "StringLiteral");
        return this.#rows("function STRING", showFunctions(pattern === undefined ? null : unquoteString(pattern.image)));
      }
      case "describeFunctionStatement": {
        const q = node(ctx, "qualifiedName");
        const s = token(ctx, "StringLiteral");
        const name = q !== undefined ? this.#name(q) : s !== undefined ? unquoteString(s.image) : (token(ctx, "LEFT") ?? token(ctx, "RIGHT") ?? token(ctx, "REGEXP"))!.image;
        return this.#rows("function_desc STRING", describeFunction(name, has(ctx, "EXTENDED")));
      }
      case "dropStatement": return this.#drop(ctx);
      case "cacheStatement":
        cacheTable(this.#session, ctx, this.#tableName(ctx), (q) => this.#queries.build(q));
        return this.#empty();
      case "uncacheStatement":
        uncacheTable(this.#session, ctx, this.#tableName(ctx));
        return this.#empty();
      case "clearCacheStatement":
        this.#session.catalog.clearCache();
        return this.#empty();
      case "alterStatement": case "showCreateTableStatement": case "showTblPropertiesStatement": case "analyzeStatement":
      case "repairTableStatement": case "insertDirectoryStatement":
        return runTableStatement(kind, ctx, this.#tools());
      default: throw new AnalysisError(`unsupported statement ${kind}`);
    }
  }

  #frame(df: DataFrame): StatementResult {
    return { kind: "dataframe", df };
  }

  #rows(schema: string, rows: readonly Record<string, unknown>[]): StatementResult {
    return this.#frame(this.#session.createDataFrame(rows, schema));
  }

  #empty(): StatementResult {
    return this.#frame(this.#session.createDataFrame([], new StructType([])));
  }

  #name(n: CstNode): string {
    return this.#queries.exprs.nameParts(n).join(".");
  }

  /** The table or view a statement names (identifierReference): a qualified name, or IDENTIFIER('…') (Spark 3.5's identifier clause). */
  #tableName(ctx: Children): string {
    return this.#referenceName(node(ctx, "identifierReference")!);
  }

  #referenceName(reference: CstNode): string {
    const ref = reference.children;
    const clause = node(ref, "expression");
    return clause === undefined ? this.#name(node(ref, "qualifiedName")!) : identifierClauseParts(this.#queries.exprs.build(clause)).join(".");
  }

  /** A view's name as written, its parts backquoted (for temporaryViewName, which takes one part). */
  #viewNameParts(ctx: Children): string {
    const ref = node(ctx, "identifierReference")!.children;
    const clause = node(ref, "expression");
    const parts = clause === undefined ? this.#queries.exprs.nameParts(node(ref, "qualifiedName")!) : identifierClauseParts(this.#queries.exprs.build(clause));
    return parts.map((p) => `\`${p.replace(/`/g, "``")}\``).join(".");
  }

  /** What the statements of other files (table-statements.ts) use of this runner. */
  #tools(): StatementTools {
    return {
      session: this.#session,
      text: this.#text,
      tableName: (ctx) => this.#tableName(ctx),
      referenceName: (n) => this.#referenceName(n),
      identifierText: (n) => this.#queries.exprs.identifierText(n),
      nameText: (n) => this.#name(n),
      columnDefinition: (c) => this.#columnDefinition(c),
      options: (ctx) => this.#options(ctx),
      partitionSpec: (spec, table) => this.#partitionSpec(spec, table),
      query: (n) => this.#queries.build(n),
      rows: (schema, rows) => this.#rows(schema, rows),
      empty: () => this.#empty(),
    };
  }

  #columnDefinition(c: CstNode): StructField {
    return {
      name: this.#queries.exprs.identifierText(node(c.children, "identifier")!),
      dataType: this.#queries.exprs.dataType(node(c.children, "dataType")!),
      nullable: !has(c.children, "NOT"),
    };
  }

  #create(ctx: Children): StatementResult {
    const replace = has(ctx, "REPLACE");
    const ifNotExists = has(ctx, "ifNotExists");
    const catalog = this.#session.catalog;
    if (has(ctx, "VIEW")) {
      const written = this.#tableName(ctx);
      const temporary = has(ctx, "TEMPORARY") || has(ctx, "TEMP");
      // A (persistent, in Spark) view named default.v is v; a temporary view has a one-part name.
      const name = temporary ? temporaryViewName(this.#viewNameParts(ctx)) : createdTableName(written);
      const global = has(ctx, "GLOBAL");
      if (global && !has(ctx, "TEMPORARY") && !has(ctx, "TEMP")) throw new ParseErrorAt(token(ctx, "GLOBAL")!, "[PARSE_SYNTAX_ERROR] Syntax error at or near 'GLOBAL': a global view is temporary (CREATE GLOBAL TEMPORARY VIEW).");
      if (ifNotExists && catalog.lookup(global ? `global_temp.${name}` : name) !== null) return this.#empty();
      const using = node(ctx, "viewUsing");
      if (using !== undefined) {
        if (!has(ctx, "TEMPORARY") && !has(ctx, "TEMP")) throw new ParseErrorAt(token(using.children, "USING")!, "[PARSE_SYNTAX_ERROR] Syntax error at or near 'USING': CREATE VIEW … USING needs TEMPORARY (CREATE TEMPORARY VIEW name USING format OPTIONS (…)).");
        const plan = this.#viewUsing(name, using.children);
        if (global) catalog.registerGlobalView(name, plan, replace);
        else catalog.registerView(name, plan, replace);
        return this.#empty();
      }
      // rivulet has no persistent catalog: every view is a session (temporary) view.
      let plan = this.#queries.build(node(ctx, "query")!);
      const columnList = node(ctx, "identifierList");
      if (columnList !== undefined) {
        const columns = this.#queries.identifierList(columnList);
        if (columns.length !== plan.output.length) {
          const list = (names: readonly string[]): string => names.map((c) => `\`${c}\``).join(", ");
          throw new AnalysisError(`[CREATE_VIEW_COLUMN_ARITY_MISMATCH.${columns.length > plan.output.length ? "NOT_ENOUGH_DATA_COLUMNS" : "TOO_MANY_DATA_COLUMNS"}] Cannot create view \`${name}\`, the reason is ${columns.length > plan.output.length ? "not enough" : "too many"} data columns:\nView columns: ${list(columns)}.\nData columns: ${list(plan.output.map((c) => c.name))}.`);
        }
        plan = build.columnAliases(plan, columns);
      }
      if (global) catalog.registerGlobalView(name, plan, replace);
      else catalog.registerView(name, plan, replace, !temporary);
      if (!temporary) catalog.viewMetadata.set(name, { text: sourceText(node(ctx, "query")!, this.#text) });
      return this.#empty();
    }
    const name = createdTableName(this.#tableName(ctx));
    if (ifNotExists && catalog.tableDefinition(name) !== null) return this.#empty();
    const formatNode = node(ctx, "format");
    const columns = nodes(ctx, "columnDefinition").map((c) => this.#columnDefinition(c));
    const locationToken = token(ctx, "location");
    const comment = token(ctx, "comment");
    const queryNode = node(ctx, "query");
    return createTable(this.#session, {
      name, replace, columns,
      format: formatNode === undefined ? null : this.#name(formatNode),
      options: this.#options(ctx),
      location: locationToken === undefined ? undefined : unquoteString(locationToken.image),
      partitionedBy: partitionedByColumns(nodes(ctx, "partitionedBy"), (n) => this.#queries.exprs.identifierText(n), (n) => this.#queries.exprs.dataType(n)),
      query: queryNode === undefined ? null : new LocalDataset(this.#session, this.#queries.build(queryNode)),
      properties: tableProperties(node(ctx, "tableProperties"), (n) => this.#options(n)),
      columnComments: columnComments(nodes(ctx, "columnDefinition"), (n) => this.#queries.exprs.identifierText(n)),
      comment: comment === undefined ? undefined : unquoteString(comment.image),
    }) ?? this.#empty();
  }

  /** `OPTIONS (key value, …)`: keys as written (quoted or dotted names), values as text. */
  #options(ctx: Children): Record<string, string> {
    return optionItems(ctx, (n) => this.#name(n));
  }

  /**
   * Spark's CREATE TEMPORARY VIEW name [(columns)] USING format OPTIONS (…): the source is
   * resolved now (its schema inferred from the files present), and the view reads it as a batch.
   */
  #viewUsing(name: string, ctx: Children): LogicalPlan {
    const format = shortFormatName(this.#name(node(ctx, "format")!));
    if (!SOURCE_FORMATS.includes(format) && format !== "jdbc") {
      throw new AnalysisError(`[DATA_SOURCE_NOT_FOUND] Failed to find the data source: ${format}. Known source formats: ${[...SOURCE_FORMATS, "jdbc"].join(", ")}.`);
    }
    const columns = nodes(ctx, "columnDefinition").map((c) => this.#columnDefinition(c));
    const table = { name, format, options: this.#options(ctx), schema: columns.length > 0 ? new StructType(columns) : null };
    return insertableRelation(readTable(table, false, this.#session.catalog.sessionTimeZone, this.#session.catalog.sourceConf), table);
  }

  #insert(ctx: Children): StatementResult {
    const table = insertTarget(this.#session.catalog, this.#tableName(ctx));
    const query = node(ctx, "query")!;
    // A SQL job is a stream: INSERT INTO reads the tables made with CREATE TABLE … USING as
    // streams, unless the query says which tables stream with STREAM(t) (then the others are
    // static, e.g. for a stream–static join). Views are used as they are.
    const explicit = { stream: false };
    const probe = new QueryBuilder(this.#text, {
      relation: (n, asStream) => { explicit.stream ||= asStream; return catalogRelations(this.#session.catalog).relation(n, asStream); },
      names: () => this.#session.catalog.tableNames(),
    });
    let plan = probe.build(query);
    if (!explicit.stream && !plan.isStreaming) {
      const catalog = this.#session.catalog;
      plan = new QueryBuilder(this.#text, {
        relation: (n, asStream) => (isFileSourceTable(catalog, n)
          ? catalogRelations(catalog).relation(n, true)
          : catalogRelations(catalog).relation(n, asStream)),
        names: () => catalog.tableNames(),
      }).build(query);
    }
    const columnList = node(ctx, "insertColumns");
    const specNode = node(ctx, "partitionSpec");
    const spec = specNode === undefined ? new Map() : this.#partitionSpec(specNode, table);
    let df: DataFrame = new LocalDataset(this.#session, plan);
    // The query (by a column list, BY NAME or position) gives the columns without a static partition value.
    const given = withoutStaticPartitions(table, spec);
    if (columnList !== undefined) df = placeByColumns(df, given, this.#queries.identifierList(columnList));
    else if (has(ctx, "byName")) df = placeByColumns(df, given, "byName");
    df = withStaticPartitions(df, table, spec);
    return insertInto(this.#session, table, df, has(ctx, "OVERWRITE"), spec);
  }

  #partitionSpec(spec: CstNode, table: TableDefinition): PartitionSpec {
    return partitionSpecOf(spec, table, (n) => this.#queries.exprs.identifierText(n), (n) => this.#queries.exprs.build(n));
  }

  /** SHOW PARTITIONS t [PARTITION (…)]: Spark's one `partition` column. */
  #showPartitions(ctx: Children): StatementResult {
    const name = this.#tableName(ctx);
    const catalog = this.#session.catalog;
    if (catalog.isTemporaryView(name)) throw new AnalysisError(`[EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE] 'SHOW PARTITIONS' expects a table. \`${name}\` is a view.`);
    const table = catalog.tableDefinition(name);
    if (table === null) throw tableNotFound(name, catalog.tableNames());
    const specNode = node(ctx, "partitionSpec");
    return this.#rows("partition STRING", showPartitions(table, specNode === undefined ? new Map() : this.#partitionSpec(specNode, table)));
  }

  #set(ctx: Children): StatementResult {
    const conf = this.#session.conf;
    if (has(ctx, "timeWord")) {
      const zone = setTimeZoneValue(ctx, (n) => this.#queries.exprs.build(n));
      conf.set(ConfKeys.sessionTimeZone, zone);
      return this.#rows("key STRING, value STRING", [{ key: ConfKeys.sessionTimeZone, value: zone }]);
    }
    if (has(ctx, "verboseWord")) return this.#rows("key STRING, value STRING, meaning STRING, `Since version` STRING", setVerboseRows(token(ctx, "verboseWord")!, conf));
    const keyNode = node(ctx, "qualifiedName");
    if (keyNode === undefined) {
      return this.#rows("key STRING, value STRING", Object.entries(conf.getAll()).sort().map(([key, value]) => ({ key, value })));
    }
    const key = this.#name(keyNode);
    if (has(ctx, "Eq")) conf.set(key, this.#setValue(nodes(ctx, "setValueToken")));
    return this.#rows("key STRING, value STRING", [{ key, value: conf.getOption(key) ?? "<undefined>" }]);
  }

  /**
   * SET's value as Spark takes it: the raw text after '=' up to ';', trimmed
   * (`America/Los_Angeles`, `30 minutes`); one quoted string stands for its content.
   */
  #setValue(valueTokens: readonly CstNode[]): string {
    const tokens = valueTokens.map((n) => Object.values(n.children).flat()[0] as IToken);
    if (tokens.length === 0) return "";
    if (tokens.length === 1 && tokens[0]!.tokenType.name === "StringLiteral") return unquoteString(tokens[0]!.image);
    return this.#text.slice(tokens[0]!.startOffset, tokens[tokens.length - 1]!.endOffset! + 1).trim();
  }

  #explain(ctx: Children): StatementResult {
    const plan = this.#queries.build(node(ctx, "query")!);
    const text = explainString(plan, has(ctx, "EXTENDED"), this.#session.conf);
    return this.#rows("plan STRING", [{ plan: text }]);
  }

  /** SHOW TABLES', VIEWS' and DATABASES' (FROM | IN) name and [LIKE] 'pattern'. */
  #listingFilter(ctx: Children): ListingFilter {
    const filter = node(ctx, "listingFilter")!.children;
    const db = node(filter, "qualifiedName");
    const pattern = token(filter, "StringLiteral");
    return { database: db === undefined ? undefined : this.#name(db), pattern: pattern === undefined ? undefined : unquoteString(pattern.image) };
  }

  /** DESCRIBE [TABLE] [EXTENDED | FORMATTED] t, DESCRIBE [QUERY] SELECT …: Spark's col_name, data_type, comment rows. */
  #describe(ctx: Children): StatementResult {
    const query = node(ctx, "query");
    const name = query === undefined ? this.#tableName(ctx) : null;
    const columns = query !== undefined ? this.#queries.build(query).output : this.#columnsOf(name!);
    const rows = describeRows(this.#session.catalog, name, columns, has(ctx, "EXTENDED") || has(ctx, "formattedWord"), warehouseDir(this.#session.conf));
    return this.#rows("col_name STRING, data_type STRING, comment STRING", rows);
  }

  #use(ctx: Children): StatementResult {
    useNamespace(this.#queries.exprs.nameParts(node(ctx, "qualifiedName")!));
    return this.#empty();
  }

  #showDatabases(ctx: Children): StatementResult {
    const { database: catalog, pattern } = this.#listingFilter(ctx);
    const names = databaseNames(catalog, pattern);
    return this.#rows("namespace STRING", names.map((namespace) => ({ namespace })));
  }

  /** SHOW COLUMNS IN t [IN db]: rivulet has one database, so `db`, when given, must be `default` (Spark checks it names t's database). */
  #showColumns(ctx: Children): StatementResult {
    const table = this.#tableName(ctx);
    const dbNode = node(ctx, "qualifiedName");
    if (dbNode !== undefined) requireDefaultSchema(this.#name(dbNode));
    return this.#rows("col_name STRING", this.#columnsOf(table).map((c) => ({ col_name: c.name })));
  }

  #columnsOf(name: string): readonly { readonly name: string; readonly dataType: DataType }[] {
    const catalog = this.#session.catalog;
    const table = catalog.tableDefinition(name);
    return table?.schema?.fields.map((f) => ({ name: f.name, dataType: f.dataType }))
      ?? (catalog.lookup(name) ?? (() => { throw tableNotFound(name, catalog.tableNames()); })()).output;
  }

  #drop(ctx: Children): StatementResult {
    const name = this.#tableName(ctx);
    const catalog = this.#session.catalog;
    const dropped = has(ctx, "VIEW") ? catalog.dropTempView(name) : catalog.dropTable(name) || catalog.dropTempView(name);
    if (!dropped && !has(ctx, "IF")) throw tableNotFound(name, catalog.tableNames());
    return this.#empty();
  }

  get text(): string {
    return this.#text;
  }
}
