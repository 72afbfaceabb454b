namespace SiliconSim.Config.Llm;

/// <summary>A Hugging Face config.json that describes no decoder SiliconSim can time; the message names the field.</summary>
public sealed class HuggingFaceConfigException : Exception
{
    public HuggingFaceConfigException(string message)
        : base(message)
    {
    }

    public HuggingFaceConfigException()
    {
    }

    public HuggingFaceConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
