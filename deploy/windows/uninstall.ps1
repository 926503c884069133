<#
.SYNOPSIS
    Removes what install.ps1 put on this node: the agent service, its WinSW configuration, the
    event source, HULFTARK_HOME and the app folder (launcher included).

.DESCRIPTION
    Delete the LifeKeeper resource that uses hulft-ark-lk.pl FIRST: without the app its quickCheck
    fails and LifeKeeper fails the resource over. The script refuses while it finds the launcher in
    LifeKeeper's folders (%LKROOT%), unless -Force. The WinSW executable itself and the agent's logs
    (%ProgramData%\hulft-ark\logs) are left in place. The check for LifeKeeper is best effort: it looks
    for a file named hulft-ark-lk.pl under %LKROOT%.

.PARAMETER WinSW
    The WinSW executable given to install.ps1. Without it the service is deleted with sc.exe.
.PARAMETER KeepEventSource
    Keep the event source, so that the events already written still show their text.

.EXAMPLE
    .\uninstall.ps1 -WinSW 'C:\Program Files\hulft-ark-service\hulft-ark-agent.exe' -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $WinSW = '',
    [string] $InstallDir = 'C:\Program Files\hulft-ark',
    [string] $ServiceId = 'hulft-ark-agent',
    [string] $EventSource = 'hulft-ark',
    [switch] $KeepEventSource,
    [switch] $Force
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$InstallDir = $InstallDir.TrimEnd('\')

$me = [Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()
if (-not $WhatIfPreference -and -not $me.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    throw 'Run this script as Administrator.'
}

# 0. A resource that still runs our launcher would fail over once the app is gone.
if ($env:LKROOT -and -not $Force) {
    $inUse = Get-ChildItem -LiteralPath $env:LKROOT -Recurse -Filter 'hulft-ark-lk.pl' -ErrorAction SilentlyContinue |
        Select-Object -First 1
    if ($inUse) {
        throw "A LifeKeeper resource still uses the launcher ($($inUse.FullName)): delete the resource first, or pass -Force."
    }
}

# 1. The agent service and its WinSW configuration.
$service = Get-Service -Name $ServiceId -ErrorAction SilentlyContinue
if ($service) {
    if ($service.Status -ne 'Stopped') { Stop-Service -Name $ServiceId }
    if ($PSCmdlet.ShouldProcess($ServiceId, 'delete the service')) {
        if ($WinSW) { & $WinSW uninstall } else { & sc.exe delete $ServiceId | Out-Null }
        if ($LASTEXITCODE -ne 0) { throw "Deleting service $ServiceId failed (exit code $LASTEXITCODE)." }
    }
}
if ($WinSW) {
    $winswXml = [IO.Path]::ChangeExtension($WinSW, '.xml')
    if (Test-Path -LiteralPath $winswXml) { Remove-Item -LiteralPath $winswXml }
}

# 2. The event source (events already written lose their text without it).
$sourceKey = "HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application\$EventSource"
if (-not $KeepEventSource -and (Test-Path -LiteralPath $sourceKey)) { Remove-Item -LiteralPath $sourceKey -Recurse }

# 3. HULFTARK_HOME, if install.ps1 set it to this folder.
if ([Environment]::GetEnvironmentVariable('HULFTARK_HOME', 'Machine') -eq $InstallDir -and
        $PSCmdlet.ShouldProcess('HULFTARK_HOME (machine environment)', 'remove')) {
    [Environment]::SetEnvironmentVariable('HULFTARK_HOME', $null, 'Machine')
}

# 4. The app and the launcher.
if (Test-Path -LiteralPath $InstallDir) { Remove-Item -LiteralPath $InstallDir -Recurse -Force }

Write-Host "hulft-ark removed from this node."
