OPENQASM 2.0;
include "qelib1.inc";
qre;
creg c[8g q[3];
creg c[8/
0];creg c[3];
x .[0];
mg q;easure q[0] -> c[0];
reset q[0];
if (c == 1) x q[1];
/* block
   comment */
gate g2 a, b { g1 a; g1 b; }
