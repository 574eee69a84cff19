import { accessLogFunctions } from "./access-log-functions.ts";
import { arithmeticFunctions } from "./arithmetic.ts";
import { integralDivide } from "./integral-divide.ts";
import { collectionFunctions } from "./collection-functions.ts";
import { extractValueFunctions } from "./extract-value.ts";
import { comparisonFunctions } from "./comparison.ts";
import { conditionalFunctions } from "./conditional.ts";
import { datetimeFunctions } from "./datetime-functions.ts";
import { intervalFunctions } from "./interval-functions.ts";
import { zoneFunctions } from "./zone-functions.ts";
import { csvFunctions } from "./csv-functions.ts";
import { jsonFunctions } from "./json-functions.ts";
import { jsonPathFunctions } from "./json-path-functions.ts";
import { mapFunctions } from "./map-function.ts";
import { predicateFunctions } from "./predicates.ts";
import { binaryFunctions } from "./binary-functions.ts";
import { hashFunctions } from "./hash-functions.ts";
import { likeFunctions } from "./like-functions.ts";
import { miscFunctions } from "./misc-functions.ts";
import { numberFormatFunctions } from "./number-format-functions.ts";
import { registerFunctions } from "./registry.ts";
import { mathFunctions } from "./math-functions.ts";
import { bitwiseFunctions } from "./bitwise-functions.ts";
import { bitwiseOperators } from "./bitwise-operators.ts";
import { stringExtraFunctions } from "./string-extras.ts";
import { regexpFunctions } from "./regexp-functions.ts";
import { urlFunctions } from "./url-functions.ts";
import { sessionInfoFunctions } from "./session-info-functions.ts";
import { monthsBetweenFunction } from "./months-between.ts";
import { tryFunctions } from "./try-functions.ts";
import { formatNumberFunction } from "./format-number.ts";
import { arrayFunctions } from "./array-functions.ts";
import { arrayBuilderFunctions } from "./array-builders.ts";
import { mapOperationFunctions } from "./map-functions.ts";
import { higherOrderFunctions } from "./higher-order-functions.ts";
import { mapHigherOrderFunctions } from "./map-higher-order-functions.ts";
import { nondeterministicFunctions } from "./nondeterministic-functions.ts";
import { jsonShapeFunctions } from "./json-shape-functions.ts";
import { stringFormatFunctions } from "./string-format.ts";
import { stringMetricFunctions } from "./string-metrics.ts";
import { stringPartFunctions } from "./string-parts.ts";
import { stringFunctions } from "./string-functions.ts";
import { windowTimeFunction } from "./window-time-function.ts";
import { aesFunctions } from "./aes-functions.ts";

registerFunctions([...arithmeticFunctions, integralDivide, ...comparisonFunctions, ...predicateFunctions, ...conditionalFunctions, ...stringFunctions, ...datetimeFunctions, ...intervalFunctions, ...zoneFunctions, ...collectionFunctions, ...extractValueFunctions, ...jsonFunctions, ...jsonPathFunctions, ...csvFunctions, ...mapFunctions, ...accessLogFunctions,
  ...stringPartFunctions, ...stringMetricFunctions, ...stringFormatFunctions, ...miscFunctions, ...hashFunctions, ...binaryFunctions, ...likeFunctions, ...numberFormatFunctions,
  ...mathFunctions, ...bitwiseFunctions, ...bitwiseOperators, ...stringExtraFunctions, ...regexpFunctions, ...urlFunctions, ...sessionInfoFunctions, monthsBetweenFunction, ...tryFunctions, formatNumberFunction,
  ...arrayFunctions, ...arrayBuilderFunctions, ...mapOperationFunctions, ...higherOrderFunctions, ...mapHigherOrderFunctions, ...nondeterministicFunctions, ...jsonShapeFunctions, windowTimeFunction, ...aesFunctions]);
