<#
.SYNOPSIS
    Installs hulft-ark on one LifeKeeper for Windows node: the app, the event source, the node
    agent as a Windows service (through WinSW) and the LifeKeeper launcher.

.DESCRIPTION
    Run it as Administrator on EVERY node of the cluster, with the same parameters, before the
    LifeKeeper resource is created (see deploy\README-admins.md). Running it again upgrades in place.

    The node agent runs as a Windows service through WinSW (Windows Service Wrapper). Get it from the
    WinSW releases on GitHub (https://github.com/winsw/winsw/releases): download WinSW-x64.exe, put it
    where it may stay (e.g. C:\Program Files\hulft-ark-service\hulft-ark-agent.exe) and pass that path
    as -WinSW. This script writes WinSW's configuration next to it (same name, .xml), as WinSW wants.

.PARAMETER WinSW
    Full path of the WinSW executable that will run the agent service.
.PARAMETER Source
    The built app folder (quarkus-app, the one holding quarkus-run.jar).
.PARAMETER InstallDir
    Where the app goes. Anywhere else than the default also sets HULFTARK_HOME for the machine, so
    that the launcher finds it (restart LifeKeeper afterwards so that it sees the variable).
.PARAMETER Java
    java.exe for the agent. Default: jre\bin\java.exe of the app if it ships one, else java on PATH.

.EXAMPLE
    .\install.ps1 -WinSW 'C:\Program Files\hulft-ark-service\hulft-ark-agent.exe' -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $WinSW,
    [string] $Source = (Join-Path $PSScriptRoot '..\..\target\quarkus-app'),
    [string] $InstallDir = 'C:\Program Files\hulft-ark',
    [string] $Java = '',
    [string] $ServiceId = 'hulft-ark-agent',
    [string] $EventSource = 'hulft-ark'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$DefaultInstallDir = 'C:\Program Files\hulft-ark'
$InstallDir = $InstallDir.TrimEnd('\')

function Test-Administrator {
    $me = [Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()
    return $me.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
}

function Invoke-WinSW([string] $Verb) {
    & $WinSW $Verb
    if ($LASTEXITCODE -ne 0) { throw "WinSW $Verb failed (exit code $LASTEXITCODE): $WinSW" }
}

function ConvertTo-XmlText([string] $Text) { [Security.SecurityElement]::Escape($Text) }

if (-not $WhatIfPreference -and -not (Test-Administrator)) { throw 'Run this script as Administrator.' }
if (-not (Test-Path -LiteralPath (Join-Path $Source 'quarkus-run.jar') -PathType Leaf)) {
    throw "Not the app folder (no quarkus-run.jar): $Source. Build it with mvnw package or pass -Source."
}
if (-not (Test-Path -LiteralPath $WinSW -PathType Leaf)) { throw "WinSW executable not found: $WinSW" }
$Launcher = Join-Path $PSScriptRoot 'hulft-ark-lk.pl'
if (-not (Test-Path -LiteralPath $Launcher -PathType Leaf)) { throw "Launcher not found next to this script: $Launcher" }

# 1. The agent holds the jars open: stop it before they are replaced.
$service = Get-Service -Name $ServiceId -ErrorAction SilentlyContinue
if ($service -and $service.Status -ne 'Stopped') { Stop-Service -Name $ServiceId }

# 2. The app. Quarkus' own folders are replaced whole so that no jar of an older version stays.
if ($PSCmdlet.ShouldProcess($InstallDir, "install the app from $Source")) {
    New-Item -ItemType Directory -Path $InstallDir -Force | Out-Null
    foreach ($owned in 'app', 'lib', 'quarkus') {
        $old = Join-Path $InstallDir $owned
        if (Test-Path -LiteralPath $old) { Remove-Item -LiteralPath $old -Recurse -Force }
    }
    Copy-Item -Path (Join-Path $Source '*') -Destination $InstallDir -Recurse -Force
}

# 3. The launcher that LifeKeeper's Generic Application resource is created with.
Copy-Item -LiteralPath $Launcher -Destination (Join-Path $InstallDir 'hulft-ark-lk.pl') -Force

# 4. The launcher finds the app through HULFTARK_HOME when it is not in the default place.
if ($InstallDir -ne $DefaultInstallDir -and
        $PSCmdlet.ShouldProcess('HULFTARK_HOME (machine environment)', "set to $InstallDir")) {
    [Environment]::SetEnvironmentVariable('HULFTARK_HOME', $InstallDir, 'Machine')
    Write-Warning 'HULFTARK_HOME set: restart LifeKeeper on this node so that its actions see it.'
}

# 5. The event source. EventLogMessages.dll of .NET Framework renders %1, i.e. the text we write.
#    PowerShell 7 runs on .NET (Core), whose runtime folder has no such file: then take Framework's.
$messages = Join-Path ([Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()) 'EventLogMessages.dll'
if (-not (Test-Path -LiteralPath $messages)) {
    $messages = Join-Path $env:WINDIR 'Microsoft.NET\Framework64\v4.0.30319\EventLogMessages.dll'
}
if (-not (Test-Path -LiteralPath $messages)) { throw "EventLogMessages.dll of .NET Framework 4 not found ($messages)" }
if ([Diagnostics.EventLog]::SourceExists($EventSource)) {
    $log = [Diagnostics.EventLog]::LogNameFromSourceName($EventSource, '.')
    if ($log -ne 'Application') { throw "Event source $EventSource already belongs to the $log log." }
}
$sourceKey = "HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application\$EventSource"
if ($PSCmdlet.ShouldProcess($sourceKey, "register event source with $messages")) {
    if (-not (Test-Path -LiteralPath $sourceKey)) { New-Item -Path $sourceKey | Out-Null }
    New-ItemProperty -LiteralPath $sourceKey -Name EventMessageFile -PropertyType ExpandString -Value $messages -Force | Out-Null
    # error, warning, information
    New-ItemProperty -LiteralPath $sourceKey -Name TypesSupported -PropertyType DWord -Value 7 -Force | Out-Null
}

# 6. The node agent as a service: WinSW reads <its own name>.xml from its own folder.
if (-not $Java) {
    $Java = if (Test-Path -LiteralPath (Join-Path $Source 'jre\bin\java.exe')) { Join-Path $InstallDir 'jre\bin\java.exe' } else { 'java' }
}
$jar = Join-Path $InstallDir 'quarkus-run.jar'
$logDir = Join-Path $env:ProgramData 'hulft-ark\logs'
$winswXml = [IO.Path]::ChangeExtension($WinSW, '.xml')
# LocalSystem (WinSW's default account): the agent starts and stops the HULFT service.
$xml = @"
<!-- WinSW configuration of the hulft-ark node agent. Written by install.ps1: edit its parameters, not this file. -->
<service>
  <id>$(ConvertTo-XmlText $ServiceId)</id>
  <name>hulft-ark agent</name>
  <description>hulft-ark node agent: checks HULFT, serves its REST API, health and metrics.</description>
  <executable>$(ConvertTo-XmlText $Java)</executable>
  <arguments>-Xmx48m -Xss256k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m -XX:MaxDirectMemorySize=16m -jar "$(ConvertTo-XmlText $jar)" agent</arguments>
  <workingdirectory>$(ConvertTo-XmlText $InstallDir)</workingdirectory>
  <startmode>Automatic</startmode>
  <onfailure action="restart" delay="10 sec"/>
  <resetfailure>1 hour</resetfailure>
  <stoptimeout>30 sec</stoptimeout>
  <logpath>$(ConvertTo-XmlText $logDir)</logpath>
  <log mode="roll-by-size">
    <sizeThreshold>10240</sizeThreshold>
    <keepFiles>8</keepFiles>
  </log>
</service>
"@
Set-Content -LiteralPath $winswXml -Value $xml -Encoding UTF8
if (-not $service -and $PSCmdlet.ShouldProcess($ServiceId, "install the service with $WinSW")) {
    New-Item -ItemType Directory -Path $logDir -Force | Out-Null
    Invoke-WinSW 'install'
}
if ($PSCmdlet.ShouldProcess($ServiceId, 'start the service')) { Start-Service -Name $ServiceId }

Write-Host "hulft-ark installed in $InstallDir."
Write-Host "Create the LifeKeeper resource with $(Join-Path $InstallDir 'hulft-ark-lk.pl') for restore, remove, quickCheck and recover."
