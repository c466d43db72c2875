using Maas.ImportBenchmark;

// The parent process prepares the data, starts one child process per measurement (so each peak is that import's
// own) and prints the tables; a child runs one import and reports on standard output.
return args is ["measure", .. var rest]
    ? await ImportMeasurement.RunChildAsync(rest)
    : await BenchmarkRun.RunAsync(args);
