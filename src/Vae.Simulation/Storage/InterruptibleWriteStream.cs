namespace Vae.Simulation.Storage;

/// <summary>
/// A writable, seekable file stream that hands large writes to the operating system in pieces and checks a
/// cancellation between them. One write of a whole dataset (hundreds of megabytes) is one system call, during
/// which a process cannot react to a signal; in pieces, an interruption stops the write within one piece.
/// </summary>
public sealed class InterruptibleWriteStream(Stream inner, CancellationToken cancel) : Stream
{
    /// <summary>The largest piece written at once: 16 MiB, a few milliseconds of a disk's time.</summary>
    public const int PieceBytes = 16 << 20;

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        for (var start = 0; start < buffer.Length; start += PieceBytes)
        {
            cancel.ThrowIfCancellationRequested();
            inner.Write(buffer.Slice(start, Math.Min(PieceBytes, buffer.Length - start)));
        }
    }

    /// <inheritdoc/>
    public override bool CanRead => inner.CanRead;
    /// <inheritdoc/>
    public override bool CanSeek => inner.CanSeek;
    /// <inheritdoc/>
    public override bool CanWrite => inner.CanWrite;
    /// <inheritdoc/>
    public override long Length => inner.Length;
    /// <inheritdoc/>
    public override long Position { get => inner.Position; set => inner.Position = value; }
    /// <inheritdoc/>
    public override void Flush() => inner.Flush();
    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    /// <inheritdoc/>
    public override void SetLength(long value) => inner.SetLength(value);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
