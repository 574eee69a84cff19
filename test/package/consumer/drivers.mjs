// pg and mysql2 are optional peer dependencies: without them a JDBC URL of theirs fails with
// an error naming the package to install.
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
await spark.stop();
console.log(JSON.stringify(errors));
