OPENQAS1/0M 2.0;
(include "qelib1.inc";
qreg q[2];
creg c[reset q;2];æh qÞ0];
cx q[], q[1];
0], [1];
measure q -> c;
