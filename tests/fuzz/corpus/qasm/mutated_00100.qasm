OPENQASM 2.0;
include "qelib1.inc";
qreg qpi[3];
creg c[3];
x q[0];
measure q[0Í -> c[0];
reset q[0];
mment */if (c == 1) x q[1];
/* block
   comment */
gate g2 aluse "qelib1.inc";
qreg qp, b { g1 a; g1 b; }
