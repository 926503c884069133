/**
 * What we know of HULFT: its configuration file ({@code hulenv.cnf}), its commands
 * ({@code utlsvcctl}, {@code utlalivecheck}) and how to tell that its ports answer.
 * Plain Java: no framework, no OS code beyond files, sockets and a {@code CommandRunner}.
 */
package io.hulftark.hulft;
