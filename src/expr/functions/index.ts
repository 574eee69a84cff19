import { accessLogFunctions } from "./access-log-functions.ts";
import { arithmeticFunctions } from "./arithmetic.ts";
import { collectionFunctions } from "./collection-functions.ts";
import { comparisonFunctions } from "./comparison.ts";
import { conditionalFunctions } from "./conditional.ts";
import { datetimeFunctions } from "./datetime-functions.ts";
import { intervalFunctions } from "./interval-functions.ts";
import { zoneFunctions } from "./zone-functions.ts";
import { jsonFunctions } from "./json-functions.ts";
import { predicateFunctions } from "./predicates.ts";
import { registerFunctions } from "./registry.ts";
import { stringFunctions } from "./string-functions.ts";

registerFunctions([...arithmeticFunctions, ...comparisonFunctions, ...predicateFunctions, ...conditionalFunctions, ...stringFunctions, ...datetimeFunctions, ...intervalFunctions, ...zoneFunctions, ...collectionFunctions, ...jsonFunctions, ...accessLogFunctions]);
