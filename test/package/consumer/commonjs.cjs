// A CommonJS user (a .cjs file, or a project without "type": "module"): require() of the
// package and its test kit, as Node 20.19+ loads ES modules that have no top-level await.
const { Session, col, count } = require("rivulet");
const { MemoryStream } = require("rivulet/testing");

async function main() {
  const spark = Session.builder().appName("cjs").getOrCreate();
  const rows = await spark.createDataFrame([{ action: "view" }, { action: "buy" }, { action: "view" }])
    .groupBy(col("action")).agg(count("*").alias("n")).orderBy("action").collect();
  const words = new MemoryStream(spark, "word STRING");
  await spark.stop();
  console.log(JSON.stringify({ rows, memoryStream: typeof words.addData }));
}
main().catch((error) => { console.error(error); process.exit(1); });
