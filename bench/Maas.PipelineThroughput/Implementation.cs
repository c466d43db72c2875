using System.Diagnostics;

namespace Maas.PipelineThroughput;

/// <summary>One side of the comparison: Maas itself, or a Python peer in <c>pipeline_peers.py</c>.</summary>
/// <param name="Key">The peer script's name for it (<c>opencv</c>, <c>torchvision</c>), or <c>maas</c>.</param>
/// <param name="Name">How the tables name it.</param>
/// <param name="Versions">Library versions, for the table's header.</param>
internal sealed record Implementation(string Key, string Name, string Versions)
{
    /// <summary>Debian's Python; the <c>python3</c> first on PATH here is a separate install that cannot see Debian's packages.</summary>
    public const string Python = "/usr/bin/python3";

    // What the ./maas launcher sets (see the launcher and shared/DESIGN.md). Every child gets it, peers included, so
    // neither side is measured with an allocator setting the other lacks; it can be overridden from outside.
    private const string MallocTunables =
        "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456:glibc.malloc.arena_max=1";

    private static readonly string s_script = Path.Combine(AppContext.BaseDirectory, "pipeline_peers.py");

    public static Implementation Maas { get; } = new("maas", "Maas", System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);

    public bool IsMaas => Key == Maas.Key;

    /// <summary>
    /// The OpenCV+NumPy peer (<paramref name="torchvision"/> false) or the torchvision+PIL one; null, after saying
    /// how to install what is missing, when <see cref="Python"/> cannot import its libraries.
    /// </summary>
    public static async Task<Implementation?> FindPeerAsync(bool torchvision)
    {
        var (key, name, probe, packages) = torchvision
            ? ("torchvision", "torchvision+PIL", "import torch, torchvision, PIL; print(f'torch {torch.__version__}, torchvision {torchvision.__version__}, PIL {PIL.__version__}')",
                "python3-torchvision python3-pil")
            : ("opencv", "OpenCV+NumPy", "import cv2, numpy; print(f'OpenCV {cv2.__version__}, NumPy {numpy.__version__}')",
                "python3-opencv python3-numpy");
        try
        {
            var versions = await ChildProcess.RunAsync(Start(Python, ["-c", probe]));
            return new Implementation(key, name, versions.Trim());
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"skipping the {name} peer: {Python} cannot import it; install it with 'apt-get install -y {packages}' " +
                "(bench/run-pipeline-throughput.sh does).");
            return null;
        }
    }

    /// <summary>Runs one measurement of <paramref name="workload"/> with <paramref name="workers"/> workers in a fresh child process.</summary>
    public async Task<ChildReport> MeasureAsync(Workload workload, int workers)
    {
        var start = IsMaas
            ? Start(Environment.ProcessPath!, [.. SelfArguments(), "measure", .. workload.ChildArguments(workers)])
            : Start(Python, [s_script, Key, .. workload.ChildArguments(workers)]);
        var stdout = await ChildProcess.RunAsync(start);
        return ChildProcess.LastJsonLine<ChildReport>(stdout);
    }

    /// <summary>Started as <c>dotnet Maas.PipelineThroughput.dll</c> rather than through the apphost, the child needs the dll named.</summary>
    private static string[] SelfArguments() =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? [typeof(Implementation).Assembly.Location] : [];

    private static ProcessStartInfo Start(string program, string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["GLIBC_TUNABLES"] = Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? MallocTunables;
        // One thread per worker on the Python side: OpenCV and torch are told so in the script; these keep NumPy's
        // BLAS and any OpenMP pool single too.
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment["OPENBLAS_NUM_THREADS"] = "1";
        start.Environment["MKL_NUM_THREADS"] = "1";
        return start;
    }
}
