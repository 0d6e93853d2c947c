using BenchmarkDotNet.Running;
using TextSearch.Benchmarks;

// Resolve the corpus once, here, so that the benchmark processes BenchmarkDotNet starts (in its own folders) inherit
// an absolute path.
Environment.SetEnvironmentVariable(Corpus.PathVariable, Corpus.ResolvePath());

if (args is ["--verify", ..])
{
    return Verify.Run(args.Length > 1 && int.TryParse(args[1], out var n) ? n : null);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
