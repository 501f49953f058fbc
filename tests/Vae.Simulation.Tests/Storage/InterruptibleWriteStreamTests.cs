using Vae.Simulation.Storage;

namespace Vae.Simulation.Tests.Storage;

/// <summary>Large writes reach the file in pieces, and a cancellation stops them between pieces.</summary>
public class InterruptibleWriteStreamTests
{
    // Records the size of every write it receives.
    private sealed class Recording : MemoryStream
    {
        public List<int> Writes { get; } = [];

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes.Add(buffer.Length);
            base.Write(buffer);
        }
    }

    [Fact]
    public void A_large_write_arrives_whole_in_pieces_of_at_most_16_MiB()
    {
        var data = new byte[2 * InterruptibleWriteStream.PieceBytes + 5];
        new Random(1).NextBytes(data);
        var inner = new Recording();
        using (var stream = new InterruptibleWriteStream(inner, CancellationToken.None))
            stream.Write(data, 0, data.Length);
        Assert.Equal([InterruptibleWriteStream.PieceBytes, InterruptibleWriteStream.PieceBytes, 5], inner.Writes);
        Assert.Equal(data, inner.ToArray());
    }

    [Fact]
    public void A_cancellation_during_a_large_write_stops_it_before_the_next_piece()
    {
        using var cancel = new CancellationTokenSource();
        var inner = new CancellingAfterFirst(cancel);
        using var stream = new InterruptibleWriteStream(inner, cancel.Token);
        Assert.Throws<OperationCanceledException>(() => stream.Write(new byte[3 * InterruptibleWriteStream.PieceBytes]));
        Assert.Equal([InterruptibleWriteStream.PieceBytes], inner.Writes);
    }

    // Cancels (as a signal would) once the first piece has been written.
    private sealed class CancellingAfterFirst(CancellationTokenSource cancel) : MemoryStream
    {
        public List<int> Writes { get; } = [];

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes.Add(buffer.Length);
            cancel.Cancel();
        }
    }

    [Fact]
    public void Seeks_and_reads_pass_through()
    {
        using var stream = new InterruptibleWriteStream(new MemoryStream(), CancellationToken.None);
        stream.Write([1, 2, 3, 4]);
        stream.Seek(1, SeekOrigin.Begin);
        stream.Write([9]);
        stream.Position = 0;
        var back = new byte[4];
        Assert.Equal(4, stream.Read(back, 0, 4));
        Assert.Equal(new byte[] { 1, 9, 3, 4 }, back);
        Assert.Equal(4, stream.Length);
    }
}
