using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using Lucene.Net.Store;

namespace TextSearch.Search.Lucene;

/// <summary>
/// The index folder, read through memory maps with cheap clones. Lucene clones an input for every term it looks up and
/// every document it reads; Lucene.NET's own <see cref="MMapDirectory"/> registers each clone in a weak map (so that
/// reading after an unmap throws instead of crashing), which cost a third of a query, and its NIO directory copies
/// through streams. Here a clone is a copy of a position, and a mapping is released only when no input of its file is
/// reachable any more (its finalizer), so no input can outlive its mapping. Writes, locks and listings are the
/// wrapped directory's. Files are immutable once written (Lucene's rule), so a mapping never sees a file change.
/// </summary>
internal sealed class MappedDirectory(FSDirectory inner) : FilterDirectory(inner)
{
    private readonly string _path = inner.Directory.FullName;

    public override IndexInput OpenInput(string name, IOContext context)
    {
        EnsureOpen();
        return new MappedInput(MappedFile.Open(Path.Combine(_path, name)), 0, -1, name);
    }

    public override IndexInputSlicer CreateSlicer(string name, IOContext context)
    {
        EnsureOpen();
        return new Slicer(MappedFile.Open(Path.Combine(_path, name)), name);
    }

    private sealed class Slicer(MappedFile file, string name) : IndexInputSlicer
    {
        public override IndexInput OpenSlice(string sliceDescription, long offset, long length) =>
            new MappedInput(file, offset, length, $"{name} [slice={sliceDescription}]");

        [Obsolete("Only for reading CFS files from 3.x indexes.")]
        public override IndexInput OpenFullSlice() => new MappedInput(file, 0, -1, name);

        protected override void Dispose(bool disposing)
        {
            // The mapping stays while slices of it are reachable.
        }
    }
}

/// <summary>One file mapped read-only, released by its finalizer once nothing reads it any more.</summary>
internal sealed unsafe class MappedFile
{
    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;

    private MappedFile(MemoryMappedFile? map, MemoryMappedViewAccessor? view, byte* pointer, long length)
    {
        _map = map;
        _view = view;
        Pointer = pointer;
        Length = length;
    }

    ~MappedFile()
    {
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _map!.Dispose();
        }
    }

    public byte* Pointer { get; }

    public long Length { get; }

    public static MappedFile Open(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = stream.Length;
        if (length == 0)
        {
            return new MappedFile(null, null, null, 0);
        }

        var map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        try
        {
            var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return new MappedFile(map, view, pointer + view.PointerOffset, length);
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }
}

/// <summary>An input over a mapped file (or a slice of one): a position, read by pointer. Clones are copies.</summary>
internal sealed unsafe class MappedInput : IndexInput
{
    // Held so that the mapping lives as long as this input (and every clone of it) does.
    private readonly MappedFile _file;
    private readonly byte* _start;
    private readonly long _length;
    private long _position;

    public MappedInput(MappedFile file, long offset, long length, string description)
        : base(description)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        _length = length < 0 ? file.Length - offset : length;
        if (offset + _length > file.Length)
        {
            throw new EndOfStreamException($"slice {description} ({offset}+{_length}) is past the end of its file ({file.Length} bytes)");
        }

        _file = file;
        _start = file.Pointer + offset;
    }

    public override long Length => _length;

    public override long Position => _position;

    public override void Seek(long pos)
    {
        if ((ulong)pos > (ulong)_length)
        {
            throw new EndOfStreamException($"seek to {pos} past the end of {this} ({_length} bytes)");
        }

        _position = pos;
    }

    public override byte ReadByte()
    {
        if (_position >= _length)
        {
            throw new EndOfStreamException($"read past the end of {this}");
        }

        return _start[_position++];
    }

    public override void ReadBytes(byte[] b, int offset, int len) => Read(len).CopyTo(b.AsSpan(offset, len));

    public override short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Read(2));

    public override int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Read(4));

    public override long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Read(8));

    public override void SkipBytes(long numBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numBytes);
        Seek(_position + numBytes);
    }

    public override object Clone() => MemberwiseClone();

    protected override void Dispose(bool disposing)
    {
        // Nothing to release here: the mapping goes with the last reachable input of its file.
    }

    private ReadOnlySpan<byte> Read(int count)
    {
        if ((ulong)count > (ulong)(_length - _position))
        {
            throw new EndOfStreamException($"read of {count} bytes past the end of {this}");
        }

        var span = new ReadOnlySpan<byte>(_start + _position, count);
        _position += count;
        return span;
    }
}
