// pg, mysql2 and the bus clients are optional peer dependencies: without them a JDBC URL of
// theirs, or a nats/redis stream, fails with an error naming the package to install.
import { Session } from "rivulet";

const spark = Session.builder().getOrCreate();
const errors = {};
for (const [name, url] of [["pg", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"], ["mysql2", "jdbc:mysql://127.0.0.1:3306/test?user=root"]]) {
  try {
    spark.read.jdbc(url, "no_such_table");
    errors[name] = null;
  } catch (error) {
    errors[name] = `${error.name}: ${error.message}`;
  }
}
const buses = [
  ["@nats-io/transport-node", "nats", { servers: "nats://127.0.0.1:4222", stream: "EVENTS" }],
  ["redis", "redis", { url: "redis://127.0.0.1:6379", stream: "events" }],
];
for (const [name, format, options] of buses) {
  const query = spark.readStream.format(format).options(options).load().writeStream.format("memory").queryName(`absent_${format}`).start();
  errors[name] = await query.awaitTermination().then(() => null, (error) => `${error.name}: ${error.message}`);
}
await spark.stop();
console.log(JSON.stringify(errors));
