namespace SiliconSim.Config.Files;

/// <summary>What a path names, by the <c>S_IFMT</c> bits of its status (symbolic links followed).</summary>
internal enum FileKind
{
    Missing,
    Regular,
    Directory,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
    Other,
}
