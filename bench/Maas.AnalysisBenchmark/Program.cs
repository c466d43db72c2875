using Maas.AnalysisBenchmark;

// The parent prepares the data and imports it, starts one child process per analysis (so its peak memory is the
// analysis's own) and prints the tables; a child runs one analysis and reports on standard output.
return args is ["measure", .. var rest]
    ? await AnalysisMeasurement.RunChildAsync(rest)
    : await BenchmarkRun.RunAsync(args);
