import { RelationRules } from "./relation-rules.ts";
import * as T from "../tokens.ts";

/** Queries: WITH, set operations, SELECT … WHERE … GROUP BY … HAVING, ORDER BY, LIMIT, OFFSET. */
export abstract class QueryRules extends RelationRules {
  // query := withClause? queryBody orderByClause? clusterByClause? distributeByClause? sortByClause? limitClause? offsetClause?
  override query = this.RULE("query", () => {
    this.OPTION(() => this.SUBRULE(this.withClause));
    this.SUBRULE(this.queryBody);
    this.OPTION2(() => this.SUBRULE(this.orderByClause));
    this.OPTION5({ GATE: () => this.wordNext("CLUSTER", T.By), DEF: () => this.SUBRULE(this.clusterByClause) });
    this.OPTION6({ GATE: () => this.wordNext("DISTRIBUTE", T.By), DEF: () => this.SUBRULE(this.distributeByClause) });
    this.OPTION7({ GATE: () => this.wordNext("SORT", T.By), DEF: () => this.SUBRULE(this.sortByClause) });
    this.OPTION3(() => this.SUBRULE(this.limitClause));
    this.OPTION4(() => this.SUBRULE(this.offsetClause));
  });

  // withClause := WITH namedQuery (',' namedQuery)*
  withClause = this.RULE("withClause", () => {
    this.CONSUME(T.With);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.namedQuery) });
  });

  // namedQuery := identifier identifierList? AS? '(' query ')'
  namedQuery = this.RULE("namedQuery", () => {
    this.SUBRULE(this.identifier);
    this.OPTION2(() => this.SUBRULE(this.identifierList));
    this.OPTION(() => this.CONSUME(T.As));
    this.CONSUME(T.LParen);
    this.SUBRULE(this.query);
    this.CONSUME(T.RParen);
  });

  // queryBody := intersectTerm (setOperator intersectTerm)*       (UNION, EXCEPT, MINUS: left to right)
  queryBody = this.RULE("queryBody", () => {
    this.SUBRULE(this.intersectTerm);
    this.MANY(() => {
      this.SUBRULE(this.setOperator);
      this.SUBRULE2(this.intersectTerm);
    });
  });

  // setOperator := (UNION | EXCEPT | MINUS) (ALL | DISTINCT)?
  setOperator = this.RULE("setOperator", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Union) },
      { ALT: () => this.CONSUME(T.Except) },
      { ALT: () => this.CONSUME(T.MinusKw) },
    ]);
    this.OPTION(() => this.SUBRULE(this.setQuantifier));
  });

  // intersectTerm := queryTerm (INTERSECT setQuantifier? queryTerm)*   (INTERSECT binds tighter, as in Spark)
  intersectTerm = this.RULE("intersectTerm", () => {
    this.SUBRULE(this.queryTerm);
    this.MANY(() => {
      this.CONSUME(T.Intersect);
      this.OPTION(() => this.SUBRULE(this.setQuantifier));
      this.SUBRULE2(this.queryTerm);
    });
  });

  // setQuantifier := ALL | DISTINCT
  setQuantifier = this.RULE("setQuantifier", () => {
    this.OR([{ ALT: () => this.CONSUME(T.All) }, { ALT: () => this.CONSUME(T.Distinct) }]);
  });

  // queryTerm := querySpecification | inlineTable | TABLE qualifiedName | '(' query ')'
  queryTerm = this.RULE("queryTerm", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.querySpecification) },
      { ALT: () => this.SUBRULE(this.inlineTable) },
      { ALT: () => { this.CONSUME(T.Table); this.SUBRULE(this.qualifiedName); } },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.query);
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });

  // querySpecification := SELECT (DISTINCT | ALL)? selectItem (',' selectItem)*
  //                       fromClause? whereClause? groupByClause? havingClause? windowClause?
  querySpecification = this.RULE("querySpecification", () => {
    this.CONSUME(T.Select);
    this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(T.Distinct) }, { ALT: () => this.CONSUME(T.All) }]));
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.selectItem) });
    this.OPTION2(() => this.SUBRULE(this.fromClause));
    this.OPTION3(() => this.SUBRULE(this.whereClause));
    this.OPTION4(() => this.SUBRULE(this.groupByClause));
    this.OPTION5(() => this.SUBRULE(this.havingClause));
    this.OPTION6(() => this.SUBRULE(this.windowClause));
  });

  // selectItem := '*' | identifier '.' '*' | expression (AS nameOrKeyword | AS identifierList | identifier)?
  //               (`explode(m) AS (k, v)`: a generator's column names)
  selectItem = this.RULE("selectItem", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Star) },
      {
        ALT: () => {
          this.SUBRULE(this.identifier);
          this.CONSUME(T.Dot);
          this.CONSUME2(T.Star);
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.expression);
          this.OPTION(() => this.OR2([
            { ALT: () => { this.CONSUME(T.As); this.SUBRULE(this.nameOrKeyword); } },
            { ALT: () => { this.CONSUME2(T.As); this.SUBRULE(this.identifierList); } },
            { ALT: () => this.SUBRULE2(this.identifier) },
          ]));
        },
      },
    ]);
  });

  // whereClause := WHERE expression
  whereClause = this.RULE("whereClause", () => {
    this.CONSUME(T.Where);
    this.SUBRULE(this.expression);
  });

  // groupByClause := GROUP BY (ALL | groupingItem (',' groupingItem)* (WITH (ROLLUP | CUBE))?)
  groupByClause = this.RULE("groupByClause", () => {
    this.CONSUME(T.Group);
    this.CONSUME(T.By);
    this.OR([
      { ALT: () => this.CONSUME(T.All) },
      {
        ALT: () => {
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.groupingItem) });
          this.OPTION(() => {
            this.CONSUME(T.With);
            this.OR2([{ ALT: () => this.CONSUME(T.Rollup, { LABEL: "withRollup" }) }, { ALT: () => this.CONSUME(T.Cube, { LABEL: "withCube" }) }]);
          });
        },
      },
    ]);
  });

  // groupingItem := (ROLLUP | CUBE | GROUPING SETS) '(' groupingSet (',' groupingSet)* ')' | expression
  groupingItem = this.RULE("groupingItem", () => {
    this.OR({
      // rollup(…) and cube(…) also read as function calls: the grouping keywords win, as in Spark.
      IGNORE_AMBIGUITIES: true,
      MAX_LOOKAHEAD: 1,
      DEF: [
        {
          ALT: () => {
            this.OR2([
              { ALT: () => this.CONSUME(T.Rollup) },
              { ALT: () => this.CONSUME(T.Cube) },
              { ALT: () => { this.CONSUME(T.Grouping); this.CONSUME(T.Sets); } },
            ]);
            this.CONSUME(T.LParen);
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.groupingSet) });
            this.CONSUME(T.RParen);
          },
        },
        { ALT: () => this.SUBRULE(this.expression) },
      ],
    });
  });

  // groupingSet := '(' (expression (',' expression)*)? ')' | expression
  groupingSet = this.RULE("groupingSet", () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      MAX_LOOKAHEAD: 1,
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
            this.CONSUME(T.RParen);
          },
        },
        { ALT: () => this.SUBRULE2(this.expression) },
      ],
    });
  });

  // havingClause := HAVING expression
  havingClause = this.RULE("havingClause", () => {
    this.CONSUME(T.Having);
    this.SUBRULE(this.expression);
  });

  // orderByClause := ORDER BY sortItem (',' sortItem)*
  orderByClause = this.RULE("orderByClause", () => {
    this.CONSUME(T.Order);
    this.CONSUME(T.By);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.sortItem) });
  });

  // clusterByClause := CLUSTER BY expression (',' expression)*        (CLUSTER, DISTRIBUTE and SORT are words, not keywords)
  clusterByClause = this.RULE("clusterByClause", () => {
    this.CONSUME(T.Identifier, { LABEL: "clusterWord" });
    this.CONSUME(T.By);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
  });

  // distributeByClause := DISTRIBUTE BY expression (',' expression)*
  distributeByClause = this.RULE("distributeByClause", () => {
    this.CONSUME(T.Identifier, { LABEL: "distributeWord" });
    this.CONSUME(T.By);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
  });

  // sortByClause := SORT BY sortItem (',' sortItem)*
  sortByClause = this.RULE("sortByClause", () => {
    this.CONSUME(T.Identifier, { LABEL: "sortWord" });
    this.CONSUME(T.By);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.sortItem) });
  });

  // sortItem := expression (ASC | DESC)? (NULLS (FIRST | LAST))?
  override sortItem = this.RULE("sortItem", () => {
    this.SUBRULE(this.expression);
    this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(T.Asc) }, { ALT: () => this.CONSUME(T.Desc) }]));
    this.OPTION2(() => {
      this.CONSUME(T.Nulls);
      this.OR2([{ ALT: () => this.CONSUME(T.First) }, { ALT: () => this.CONSUME(T.Last) }]);
    });
  });

  // limitClause := LIMIT (ALL | expression)
  limitClause = this.RULE("limitClause", () => {
    this.CONSUME(T.Limit);
    this.OR([{ ALT: () => this.CONSUME(T.All) }, { ALT: () => this.SUBRULE(this.expression) }]);
  });

  // offsetClause := OFFSET expression
  offsetClause = this.RULE("offsetClause", () => {
    this.CONSUME(T.Offset);
    this.SUBRULE(this.expression);
  });
}
