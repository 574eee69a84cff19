/** Registers every generator function (import for its effect). */
import "./collection-generators.ts";
import "./row-generators.ts";
export { generatorFields, generatorNames, generatorOf, isGeneratorCall, type GeneratorFunction } from "./generator.ts";
