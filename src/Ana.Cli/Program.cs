using Ana.Cli;

return await AnaCli.RunAsync(args).ConfigureAwait(false);
