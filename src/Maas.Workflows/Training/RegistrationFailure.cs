namespace Maas.Workflows.Training;

/// <summary>
/// Why registering a trained model failed. The run itself stays completed with its metrics and exported files, so
/// registration can be retried on its own.
/// </summary>
/// <param name="Model">The model name it was to be registered under.</param>
/// <param name="Reason">What went wrong.</param>
/// <param name="Retry">The command that retries it, e.g. <c>maas models register fashion-cnn --run run_...</c>.</param>
/// <param name="ExitCode">The exit code of the error's kind (<see cref="Maas.Core.Errors.ExitCodes"/>).</param>
public sealed record RegistrationFailure(string Model, string Reason, string Retry, int ExitCode);
