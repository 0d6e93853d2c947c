namespace TextSearch.Server.Hosting;

/// <summary>Whether start-up work (seeds) has finished; the health check reports NOT_SERVING until then.</summary>
public sealed class StartupState
{
    private volatile bool _ready;

    public bool Ready => _ready;

    public void MarkReady() => _ready = true;
}
