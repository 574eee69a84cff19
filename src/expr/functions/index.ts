import { accessLogFunctions } from "./access-log-functions.ts";
import { arithmeticFunctions } from "./arithmetic.ts";
import { collectionFunctions } from "./collection-functions.ts";
import { extractValueFunctions } from "./extract-value.ts";
import { comparisonFunctions } from "./comparison.ts";
import { conditionalFunctions } from "./conditional.ts";
import { datetimeFunctions } from "./datetime-functions.ts";
import { intervalFunctions } from "./interval-functions.ts";
import { zoneFunctions } from "./zone-functions.ts";
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
import { stringFormatFunctions } from "./string-format.ts";
import { stringMetricFunctions } from "./string-metrics.ts";
import { stringPartFunctions } from "./string-parts.ts";
import { stringFunctions } from "./string-functions.ts";

registerFunctions([...arithmeticFunctions, ...comparisonFunctions, ...predicateFunctions, ...conditionalFunctions, ...stringFunctions, ...datetimeFunctions, ...intervalFunctions, ...zoneFunctions, ...collectionFunctions, ...extractValueFunctions, ...jsonFunctions, ...jsonPathFunctions, ...mapFunctions, ...accessLogFunctions,
  ...stringPartFunctions, ...stringMetricFunctions, ...stringFormatFunctions, ...miscFunctions, ...hashFunctions, ...binaryFunctions, ...likeFunctions, ...numberFormatFunctions]);
