using Grpc.Core;
using TextSearch.V1;

namespace TextSearch.Server.Tests.Integration.Support;

/// <summary>A bulk stream holding a server's only call slot (TextSearch:Limits:MaxConcurrentCalls 1), and how it got there.</summary>
/// <param name="Bulk">The stream, its first document written: the caller completes it and disposes it.</param>
/// <param name="Refusal">The Normalize call turned away while the stream held the slot.</param>
/// <param name="Normalized">Normalize calls that got the slot before the stream had reached the server.</param>
/// <param name="RefusedBulks">Streams turned away because a Normalize held the slot when they arrived.</param>
public sealed record HeldSlot(
    AsyncClientStreamingCall<UpsertDocumentRequest, BulkUpsertDocumentsResponse> Bulk, RpcException Refusal, int Normalized, int RefusedBulks);

/// <summary>Calls that hold a server's call slots.</summary>
public static class CallSlots
{
    /// <summary>
    /// Opens a bulk stream, <paramref name="first"/> its first document written, that holds the server's only call
    /// slot, shown by a Normalize turned away with RESOURCE_EXHAUSTED. A written document only means the stream's
    /// headers went out: until the stream reaches the server's admission, a Normalize may still get the slot (asked
    /// again, never waited for by time), and if one holds the slot when the stream arrives, the stream is the one turned
    /// away and another is opened. Both are counted; after each, <paramref name="settled"/> (when given) is awaited with
    /// the number of such calls so far (for instance until the server has counted them: their slots given back). 30 s at most.
    /// </summary>
    public static async Task<HeldSlot> HoldTheOnlySlotAsync(
        DocumentService.DocumentServiceClient documents,
        NormalizationService.NormalizationServiceClient normalize,
        Document first,
        Metadata? headers = null,
        Func<int, Task>? settled = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(normalize);
        var until = DateTime.UtcNow.AddSeconds(30);
        var (normalized, refused) = (0, 0);
        while (true)
        {
            var bulk = documents.BulkUpsertDocuments(headers);
            try
            {
                await bulk.RequestStream.WriteAsync(new UpsertDocumentRequest { Document = first });
            }
            catch (RpcException)
            {
                // Turned away before its first document was written: judged below by its status.
            }

            while (true)
            {
                Assert.True(DateTime.UtcNow < until, "no bulk stream took the only slot within 30 s");
                if (bulk.ResponseAsync.IsCompleted)
                {
                    var error = await Assert.ThrowsAsync<RpcException>(() => bulk.ResponseAsync);
                    Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
                    bulk.Dispose();
                    refused++;
                    await (settled?.Invoke(normalized + refused) ?? Task.CompletedTask);
                    break;
                }

                try
                {
                    await normalize.NormalizeAsync(new NormalizeRequest { Text = "مرحبا" }, headers, deadline: DateTime.UtcNow.AddSeconds(30));
                    normalized++;
                    await (settled?.Invoke(normalized + refused) ?? Task.CompletedTask);
                    await Task.Delay(20);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
                {
                    return new HeldSlot(bulk, e, normalized, refused);
                }
            }
        }
    }
}
