using System.Runtime.InteropServices;

namespace SiliconSim.Config.Files;

/// <summary>
/// The kind of file a path names, found without opening it: opening a FIFO for reading blocks until a writer comes, so
/// the check must come first. .NET's <see cref="FileAttributes"/> on Unix tell only directories apart (a FIFO or
/// <c>/dev/zero</c> is <see cref="FileAttributes.Normal"/>), so on Unix this asks the runtime's own native shim,
/// <c>SystemNative_Stat</c> (dotnet/runtime src/native/libs/System.Native/pal_io.h), whose <c>FileStatus</c> starts with
/// two int32s: flags, then the mode with the PAL's <c>S_IF*</c> values.
/// </summary>
internal static class FileKinds
{
    private const int TypeMask = 0xF000;

    public static FileKind Of(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            // No FIFOs or device paths reachable by name on Windows' file system APIs here; attributes suffice.
            return File.Exists(path) ? FileKind.Regular : Directory.Exists(path) ? FileKind.Directory : FileKind.Missing;
        }

        // FileStatus is 120 bytes today; a larger buffer leaves room for fields the runtime may append.
        byte[] status = new byte[256];
        if (Stat(path, status) != 0)
        {
            return FileKind.Missing;
        }

        return (BitConverter.ToInt32(status, 4) & TypeMask) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
    }

    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "no such file",
        FileKind.Directory => "a directory",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "not a regular file",
    };

    // DllImport, not LibraryImport: the generated stub would need unsafe code in this project for one blittable call.
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] status);
}
