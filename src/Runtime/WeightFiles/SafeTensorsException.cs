using System;

namespace NetGen;

/// <summary>
/// A safetensors file that is malformed or does not fit the network it is loaded into. The message names the
/// problem; when it is thrown from <see cref="SafeTensors.Load(INetwork, string, SafeTensorsOptions?)"/> and its
/// overloads, the network's parameters are exactly as they were before the call.
/// </summary>
public sealed class SafeTensorsException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public SafeTensorsException(string message, Exception? innerException = null) : base(message, innerException)
    {
    }
}
