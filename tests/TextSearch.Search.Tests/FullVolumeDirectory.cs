using Lucene.Net.Store;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace TextSearch.Search.Tests;

/// <summary>
/// The space left on a pretend volume, shared by every <see cref="FullVolumeDirectory"/> made from it: once it is
/// used up, writes throw what .NET throws on Linux for a full disk (IOException, HResult ENOSPC = 28).
/// </summary>
internal sealed class Volume(long bytes)
{
    private long _left = bytes;

    public long Left => Interlocked.Read(ref _left);

    /// <summary>Makes the volume (nearly) full or empty again.</summary>
    public void Set(long bytes) => Interlocked.Exchange(ref _left, bytes);

    public void Take(int count, string file)
    {
        if (Interlocked.Add(ref _left, -count) < 0)
        {
            Interlocked.Add(ref _left, count);
            throw new IOException($"No space left on device : '{file}'", 28);
        }
    }

    public Func<DirectoryInfo, LuceneDirectory> Open =>
        dir => new FullVolumeDirectory(FSDirectory.Open(dir), this);
}

/// <summary>A real directory on disk whose writes draw from a <see cref="Volume"/>.</summary>
internal sealed class FullVolumeDirectory(LuceneDirectory inner, Volume volume) : FilterDirectory(inner)
{
    public override IndexOutput CreateOutput(string name, IOContext context)
    {
        volume.Take(1, name);
        return new Output(m_input.CreateOutput(name, context), volume, name);
    }

    private sealed class Output(IndexOutput inner, Volume volume, string name) : IndexOutput
    {
        public override long Position => inner.Position;

        public override long Checksum => inner.Checksum;

        public override long Length => inner.Length;

        public override void WriteByte(byte b)
        {
            volume.Take(1, name);
            inner.WriteByte(b);
        }

        public override void WriteBytes(byte[] b, int offset, int length)
        {
            volume.Take(length, name);
            inner.WriteBytes(b, offset, length);
        }

        public override void Flush() => inner.Flush();

        [Obsolete("Seek is obsolete in Lucene.NET; kept because IndexOutput declares it.")]
        public override void Seek(long pos) => inner.Seek(pos);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
        }
    }
}
