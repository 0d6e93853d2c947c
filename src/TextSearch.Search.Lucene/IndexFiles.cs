using Lucene.Net.Index;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace TextSearch.Search.Lucene;

/// <summary>Checks of the index's files at open, and the staging folders of bulk streams.</summary>
internal static class IndexFiles
{
    /// <summary>
    /// An index folder that holds segment files but no commit point (segments_N) lost its last commit: opening it
    /// would start an empty index over the orphaned segments, and every earlier document would be unreachable.
    /// </summary>
    public static void CheckCommitPoint(LuceneDirectory directory, string path)
    {
        if (DirectoryReader.IndexExists(directory))
        {
            return;
        }

        var orphans = directory.ListAll().Count(f => f.StartsWith('_') || f.StartsWith(IndexFileNames.SEGMENTS, StringComparison.Ordinal));
        if (orphans > 0)
        {
            throw IndexFailures.Damaged(path, $"it holds {orphans} index files but no commit point: segments_N is missing");
        }
    }

    /// <summary>Opens the last commit and verifies the checksum of every file of every segment (Lucene 4.8 footers).</summary>
    public static void Verify(LuceneDirectory directory)
    {
        if (!DirectoryReader.IndexExists(directory))
        {
            return;
        }

        using var reader = DirectoryReader.Open(directory);
        foreach (var leaf in reader.Leaves)
        {
            leaf.AtomicReader.CheckIntegrity();
        }
    }

    /// <summary>Removes a staging folder (and everything in it); a folder that cannot be removed now is left for the next start.</summary>
    public static void DeleteStaging(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
