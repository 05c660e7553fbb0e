import styled from 'styled-components';
import { socketColor, type Sa3Socket } from '../sockets.js';

const Dot = styled.div<{ $color: string }>`
  width: 14px;
  height: 14px;
  border-radius: 50%;
  background: ${(p) => p.$color};
  border: 2px solid #0e1116;
  box-shadow: 0 0 0 1px ${(p) => p.$color}55;
  cursor: crosshair;
  transition: transform 80ms ease-out;
  &:hover {
    transform: scale(1.3);
  }
`;

export function SocketView({ data }: { data: Sa3Socket }) {
  return <Dot $color={socketColor(data.kind)} title={data.name} data-testid="socket-dot" data-kind={data.kind} />;
}
