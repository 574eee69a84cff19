-- spark.sql.decimalOperations.allowPrecisionLoss: true (default) keeps integral digits and
-- loses scale; false bounds precision and scale separately and overflows to NULL
select 10.3 * 3.0, 10.300000000000000000 * 3.0000000000000000000, 123456789123456789.1234567890 * 1.123456789123456789, 12345678912345.123456789123 / 0.000000012345678;
select typeof(CAST(1 AS DECIMAL(38,10)) * CAST(2 AS DECIMAL(38,10))), typeof(CAST(1 AS DECIMAL(20,2)) / CAST(3 AS DECIMAL(20,2)));
set spark.sql.decimalOperations.allowPrecisionLoss=false;
select 10.3 * 3.0, 10.300000000000000000 * 3.000000000000000000;
select 10.300000000000000000 * 3.0000000000000000000, 12345678901234567890.0 * 12345678901234567890.0, 123456789123456789.1234567890 * 1.123456789123456789, 12345678912345.123456789123 / 0.000000012345678;
select typeof(CAST(1 AS DECIMAL(38,10)) * CAST(2 AS DECIMAL(38,10))), typeof(CAST(1 AS DECIMAL(20,2)) / CAST(3 AS DECIMAL(20,2))), CAST(1 AS DECIMAL(20,2)) / CAST(3 AS DECIMAL(20,2));
set spark.sql.decimalOperations.allowPrecisionLoss=true;
select typeof(CAST(1 AS DECIMAL(38,10)) * CAST(2 AS DECIMAL(38,10)));
set spark.sql.decimalOperations.allowPrecisionLoss=maybe;
