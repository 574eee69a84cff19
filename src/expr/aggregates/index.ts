import { registerAggregates } from "./aggregate-function.ts";
import { booleanAggregates } from "./boolean-aggregates.ts";
import { collectAggregates } from "./collect.ts";
import { covarianceAggregates } from "./covariance.ts";
import { momentAggregates } from "./moments.ts";
import { percentileAggregates } from "./percentiles.ts";
import { approxCountDistinct } from "./approx-count-distinct.ts";
import { count } from "./count.ts";
import { first, last } from "./first-last.ts";
import { max, min } from "./min-max.ts";
import { avg, sum } from "./sum-avg.ts";
import { bitmapAggregates } from "./bitmap-aggregates.ts";
import { bitwiseAggregates } from "./bitwise-aggregates.ts";
import { product } from "./product.ts";
import { countMinSketch } from "./count-min-sketch.ts";
import { anyValue, tryAvg, trySum } from "./try-aggregates.ts";

registerAggregates([
  count, sum, avg, min, max, first, last, approxCountDistinct,
  ...booleanAggregates, ...collectAggregates, ...momentAggregates, ...covarianceAggregates, ...percentileAggregates,
  ...bitwiseAggregates, ...bitmapAggregates, trySum, tryAvg, anyValue, product, countMinSketch,
]);

export { aggregateNames, lookupAggregate, requireAggregate, type AggregateFunction, type GroupsAccumulator } from "./aggregate-function.ts";
