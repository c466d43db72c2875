using Maas.PipelineThroughput;

// The parent process prepares the inputs, starts one child process per measurement (so each peak RSS is that
// measurement's own) and prints the tables; a Maas child runs one measurement and reports on standard output.
return args is ["measure", .. var rest]
    ? MaasMeasurement.Run(rest)
    : await ThroughputRun.RunAsync(args);
