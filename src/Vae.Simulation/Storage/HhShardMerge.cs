using System.Globalization;
using PureHDF;
using PureHDF.Selections;
using Vae.Simulation.Datasets;

namespace Vae.Simulation.Storage;

/// <summary>
/// Joins the files of <c>simulate --shard i/n</c> into the file one process would have written: the shards' rows
/// in order, the shared root attributes without the shard ones, through the same writer. Everything is checked
/// before anything is written (every shard present once, from one run: same split, protocol, seed, solver and
/// generator); problems are one-line <see cref="SimulationInputException"/>s naming the file. The merged file is
/// a copy, not an HDF5 virtual dataset: it stands alone once the shards are deleted (PureHDF cannot write virtual
/// datasets either). The traces are copied a block at a time.
/// </summary>
public static class HhShardMerge
{
    /// <summary>What a merge produced.</summary>
    /// <param name="Traces">Rows of the merged dataset.</param>
    /// <param name="Shards">Number of shards joined.</param>
    /// <param name="TrainCount">Training rows (split 0).</param>
    /// <param name="SampleCount">Samples per trace.</param>
    public sealed record Summary(int Traces, int Shards, int TrainCount, int SampleCount);

    /// <summary>Merges <paramref name="shardPaths"/> (any order) into <paramref name="output"/>, which must not exist.</summary>
    public static Summary Merge(IReadOnlyList<string> shardPaths, string output)
    {
        if (shardPaths.Count == 0)
            throw new SimulationInputException("give the shard files to merge (the files `simulate --shard i/n` wrote).");
        if (File.Exists(output) || Directory.Exists(output))
            throw new SimulationInputException($"'{output}' already exists; choose another --out or remove it first.");
        AtomicFile.EnsureWritable(output);

        var shards = shardPaths.Select(ShardFile.Read).OrderBy(s => s.Index).ToList();
        var first = shards[0];
        foreach (var s in shards.Skip(1))
            first.CheckSameRun(s);
        var duplicate = shards.Zip(shards.Skip(1)).FirstOrDefault(p => p.First.Index == p.Second.Index);
        if (duplicate.First is not null)
            throw new SimulationInputException($"shard {duplicate.First.Index}/{first.Count} is given twice: "
                + $"'{duplicate.First.Path}' and '{duplicate.Second.Path}'.");
        var missing = Enumerable.Range(1, first.Count).Except(shards.Select(s => s.Index)).ToList();
        if (missing.Count > 0)
            throw new SimulationInputException($"shard{(missing.Count > 1 ? "s" : "")} "
                + $"{string.Join(", ", missing.Select(i => $"{i}/{first.Count}"))} "
                + $"missing; give all {first.Count} shards of the dataset.");

        int total = first.Total, length = first.Length;
        double[] rawMin = new double[total], rawMax = new double[total], parameters = new double[2 * total];
        var split = new byte[total];
        var spikes = new int[total];
        foreach (var s in shards)
        {
            s.RawMin.CopyTo(rawMin, s.First);
            s.RawMax.CopyTo(rawMax, s.First);
            s.Parameters.CopyTo(parameters, 2L * s.First);
            s.Split.CopyTo(split, s.First);
            s.SpikeCounts.CopyTo(spikes, s.First);
        }
        // The traces are copied a block of rows at a time: memory does not grow with the dataset.
        DiskSpace.Require(output, HhFileWriter.FileBytes(total, length));
        using var writer = new HhFileWriter(output, total, first.Time, first.Attributes, replace: false);
        var block = new float[(long)Math.Min(DatasetFileGenerator.BlockRows, shards.Max(s => s.Rows)) * length];
        foreach (var s in shards)
        {
            using var file = H5File.OpenRead(s.Path);
            var traces = file.Dataset(HhFileLayout.Traces);
            for (int row = 0; row < s.Rows; row += DatasetFileGenerator.BlockRows)
            {
                int rows = Math.Min(DatasetFileGenerator.BlockRows, s.Rows - row);
                var selection = new HyperslabSelection(2, [(ulong)row, 0], [(ulong)rows, (ulong)length]);
                try
                {
                    traces.Read(block.AsMemory(0, rows * length), selection);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw new SimulationInputException($"'{s.Path}': traces {s.First + row}..{s.First + row + rows - 1} cannot be read "
                        + $"({e.Message.Split('\n')[0]}); simulate that shard again.");
                }
                TraceChecksums.Check(s.Path, s.Checksums, row, block.AsSpan(0, rows * length), length);
                writer.WriteRows(block, 0, rows);
            }
        }
        writer.Complete(rawMin, rawMax, parameters, split, spikes);
        return new Summary(total, shards.Count, split.Count(x => x == 0), length);
    }

    /// <summary>
    /// One shard's file: its place in the whole, its per-trace arrays and time axis (its traces stay on disk) and its
    /// root attributes other than the shard ones.
    /// </summary>
    private sealed record ShardFile(string Path, int Index, int Count, int First, int Total, int Rows, double[] Time, double[] RawMin,
        double[] RawMax, double[] Parameters, byte[] Split, int[] SpikeCounts, uint[]? Checksums,
        IReadOnlyList<(string Name, object Value)> Attributes)
    {
        /// <summary>Samples per trace.</summary>
        public int Length => Time.Length;

        public static ShardFile Read(string path)
        {
            if (!File.Exists(path))
                throw new SimulationInputException($"shard file '{path}' does not exist.");
            try
            {
                using var file = H5File.OpenRead(path);
                var all = file.Attributes().Select(a => (a.Name, Value: ReadAttribute(path, a))).ToList();
                int Shard(string name) => all.FirstOrDefault(a => a.Name == name).Value is int v ? v
                    : throw new SimulationInputException($"'{path}' is not a shard of a dataset (no {name} attribute); "
                    + "merge the files `simulate --shard i/n` wrote.");
                int index = Shard(HhFileLayout.ShardIndex), count = Shard(HhFileLayout.ShardCount);
                int first = Shard(HhFileLayout.ShardFirstRow), total = Shard(HhFileLayout.ShardTotal);
                var expected = new DatasetShard(index, count, total);
                try { expected.Validate(); }
                catch (SimulationInputException e) { throw new SimulationInputException($"'{path}': {e.Message}"); }

                T[] Array<T>(string name)
                {
                    if (!file.LinkExists(name))
                        throw new SimulationInputException($"'{path}': no /{name} dataset; is this a FunctionalVae HH shard?");
                    return file.Dataset(name).Read<T[]>();
                }
                var dims = file.Dataset(HhFileLayout.Traces).Space.Dimensions;
                var time = Array<double>(HhFileLayout.Time);
                double[] rawMin = Array<double>(HhFileLayout.RawMin), rawMax = Array<double>(HhFileLayout.RawMax);
                double[] parameters = Array<double>(HhFileLayout.Parameters);
                byte[] split = Array<byte>(HhFileLayout.Split);
                int[] spikes = Array<int>(HhFileLayout.SpikeCount);
                // Shards written before checksums were stored have none.
                uint[]? checksums = file.LinkExists(HhFileLayout.TraceChecksums) ? Array<uint>(HhFileLayout.TraceChecksums) : null;
                int rows = expected.Rows;
                if (first != expected.First || dims.Length != 2 || dims[0] != (ulong)rows || dims[1] != (ulong)time.Length || rawMin.Length != rows
                    || rawMax.Length != rows || parameters.Length != 2 * rows || split.Length != rows || spikes.Length != rows
                    || checksums is not null && checksums.Length != rows)
                    throw new SimulationInputException($"'{path}' claims to be shard {index}/{count} (rows "
                        + $"{expected.First}..{expected.First + rows - 1} of {total}) "
                        + "but its arrays do not have that shape; simulate that shard again.");
                // Each shard's content hash is its own; the merged file gets the hash of the joined arrays.
                var shared = all.Where(a => !a.Name.StartsWith(HhFileLayout.ShardPrefix, StringComparison.Ordinal)
                    && a.Name != HhFileLayout.ContentHashAttribute).ToList();
                return new ShardFile(path, index, count, first, total, rows, time, rawMin, rawMax, parameters, split, spikes, checksums, shared);
            }
            catch (Exception e) when (e is not SimulationInputException)
            {
                throw new SimulationInputException($"'{path}' is not a readable HH shard ({e.Message.Split('\n')[0]}).");
            }
        }

        /// <summary>Throws unless <paramref name="other"/> is another shard of the same split of the same run.</summary>
        public void CheckSameRun(ShardFile other)
        {
            if (other.Count != Count || other.Total != Total)
                throw new SimulationInputException($"'{Path}' is shard {Index}/{Count} of {Total} traces but '{other.Path}' is shard "
                    + $"{other.Index}/{other.Count} of {other.Total}; merge the shards of one split.");
            var theirs = other.Attributes.ToDictionary(a => a.Name, a => a.Value);
            foreach (var (name, value) in Attributes)
            {
                var v = theirs.GetValueOrDefault(name);
                if (v is null || !Equals(v, value))
                    throw new SimulationInputException($"'{Path}' and '{other.Path}' differ in {name} ({Show(value)} vs {Show(v)}); "
                        + "merge the shards of one simulate run (same protocol, parameters, seed, solver and noise).");
            }
            if (theirs.Count != Attributes.Count)
                throw new SimulationInputException($"'{Path}' and '{other.Path}' have different attributes; merge the shards of one simulate run.");
            if (!Time.AsSpan().SequenceEqual(other.Time))
                throw new SimulationInputException($"'{Path}' and '{other.Path}' have different time axes; merge the shards of one simulate run.");
        }

        private static string Show(object? v) => v switch
        {
            null => "absent",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
        };

        // The writer stores (variable-length) strings, float64 and int32 attributes; read each back as the type it was written with.
        private static object ReadAttribute(string path, IH5Attribute a) => a.Type.Class switch
        {
            H5DataTypeClass.String or H5DataTypeClass.VariableLength => a.Read<string>(),
            H5DataTypeClass.FloatingPoint when a.Type.Size == 8 => a.Read<double>(),
            H5DataTypeClass.FixedPoint when a.Type.Size == 4 => a.Read<int>(),
            _ => throw new SimulationInputException($"'{path}': attribute {a.Name} has a type the HH layout does not use; "
                + "is this a FunctionalVae HH shard?"),
        };
    }
}
